import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIR } from '../../src/paths.js';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../support/services.js';

const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };

describe('migrations', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => { for (const d of dbs) await d.drop(); });

  it('create every table and key on an empty database, and a second run changes nothing', async () => {
    const testDb = await createTestDatabase('migr');
    dbs.push(testDb);
    const database = await openPostgres(testDb.url, 2);
    await database.migrate();
    await database.migrate();
    await database.close();

    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    const tables = await client.query(`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'api_tokens', 'audit_log', 'classifications', 'formal_complaints', 'posts', 'signals', 'source_runs', 'sources',
    ]);
    const uniques = await client.query(`select indexname from pg_indexes where schemaname = 'public' and indexdef like 'CREATE UNIQUE%' and indexname not like '%_pkey' order by 1`);
    expect(uniques.rows.map((r) => r.indexname)).toEqual([
      'api_tokens_hash_uq', 'classifications_post_model_uq', 'formal_complaints_ref_uq', 'posts_source_external_uq', 'signals_post_uq', 'sources_name_uq',
    ]);
    const applied = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(applied.rows[0].n).toBe(journal.entries.length);
    await client.end();
  });

  it('run safely from two processes starting at once', async () => {
    const testDb = await createTestDatabase('migr2');
    dbs.push(testDb);
    const [a, b] = await Promise.all([openPostgres(testDb.url, 2), openPostgres(testDb.url, 2)]);
    await Promise.all([a.migrate(), b.migrate()]);
    const { rows } = await a.db.execute<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations' as never) as unknown as { rows: { n: number }[] };
    expect(rows[0]!.n).toBe(journal.entries.length);
    await a.close();
    await b.close();
  });
});
