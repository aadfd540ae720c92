import { join } from 'node:path';
import type { Db } from '../db/client.js';
import { ensureSource } from '../db/repos/sources.repo.js';
import { FIXTURES_DIR } from '../paths.js';

export const DEMO_DIR = join(FIXTURES_DIR, 'demo');

/** The bundled demo source: a JSONL collector over fixtures/demo/, re-read every minute. */
export async function ensureDemoSource(db: Db): Promise<number> {
  const source = await ensureSource(db, { kind: 'jsonl', name: 'demo', config: { path: DEMO_DIR }, intervalSeconds: 60 });
  return source.id;
}
