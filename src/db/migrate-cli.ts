import { loadConfig } from '../config.js';
import { runCli } from '../cli.js';
import { openDatabase } from './client.js';

await runCli(async () => {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await database.migrate();
    console.log(`Migrations applied to ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'}.`);
  } finally {
    await database.close();
  }
});
