import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgres, type Database } from '../../src/db/client.js';

/**
 * Test infrastructure over the real services the test command provides (scripts/test.sh):
 * every call makes a throwaway database, migrated with the real migrations.
 */
const adminUrl = () => {
  const url = process.env.TEST_PG_URL;
  if (!url) throw new Error('TEST_PG_URL is not set: run the suite through `npm test` (scripts/test.sh)');
  return url;
};
export const redisUrl = () => {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the suite through `npm test` (scripts/test.sh)');
  return url;
};
const runId = () => process.env.TEST_RUN_ID ?? 'kstlocal';

export const uniqueName = (label: string) => `${runId()}_${label}_${randomBytes(4).toString('hex')}`.toLowerCase();

export interface TestDatabase { url: string; name: string; drop(): Promise<void> }

export async function createTestDatabase(label = 'db'): Promise<TestDatabase> {
  const name = uniqueName(label.replace(/\W/g, ''));
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

/** A migrated, empty database plus its drizzle handle. */
export async function migratedDatabase(label = 'db'): Promise<{ database: Database; testDb: TestDatabase; close(): Promise<void> }> {
  const testDb = await createTestDatabase(label);
  const database = await openPostgres(testDb.url, 5);
  await database.migrate();
  return { database, testDb, async close() { await database.close(); await testDb.drop(); } };
}

export const queuePrefix = (label: string) => uniqueName(label);

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
