import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** `npm run bench` runs every bench/*.bench.ts; `npm run bench -- collect` runs one. */
const wanted = process.argv.slice(2);
const dir = import.meta.dirname;
const names = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''));
const selected = wanted.length ? names.filter((n) => wanted.includes(n)) : names;
if (selected.length === 0) {
  console.error(`no benchmark named ${wanted.join(', ')}; available: ${names.join(', ')}`);
  process.exit(2);
}
for (const name of selected) {
  const module = (await import(join(dir, `${name}.bench.ts`))) as { run: () => Promise<void> };
  await module.run();
}
