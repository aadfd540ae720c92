import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/paths.js';

export interface BenchRow { [column: string]: string | number }

/** Prints a table and writes the same figures as JSON to bench/results/<name>.json. */
export function report(name: string, rows: BenchRow[], meta: Record<string, unknown> = {}): void {
  console.log(`\n${name}`);
  console.table(rows);
  const dir = join(PROJECT_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, at: new Date().toISOString(), node: process.version, ...meta, rows }, null, 2));
  console.log(`written to ${file}`);
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}
