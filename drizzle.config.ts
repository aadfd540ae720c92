import { defineConfig } from 'drizzle-kit';

// Only for `npm run db:generate`: turns schema changes into SQL files under migrations/.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
});
