import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../client.js';
import { migratedDatabase } from '../../../tests/support/services.js';
import { countPosts, insertPosts, type NewPost } from './posts.repo.js';
import { ensureSource } from './sources.repo.js';

describe('posts repo', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let sourceId: number;
  beforeAll(async () => {
    env = await migratedDatabase('posts');
    sourceId = (await ensureSource(env.database.db, { kind: 'jsonl', name: 'test', config: { path: '/dev/null' } })).id;
  });
  afterAll(async () => env.close());

  const post = (externalId: string): NewPost => ({ sourceId, externalId, text: `tekst ${externalId}`, contentHash: externalId });

  it('stores a post inserted concurrently from many connections exactly once', async () => {
    const connections: Database[] = await Promise.all(Array.from({ length: 8 }, () => openPostgres(env.testDb.url, 1)));
    const results = await Promise.all(connections.map((c) => insertPosts(c.db, [post('same-1'), post('same-2')])));
    await Promise.all(connections.map((c) => c.close()));
    const inserted = results.flatMap((r) => r.insertedIds);
    expect(inserted).toHaveLength(2);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(8 * 2 - 2);
    expect(await countPosts(env.database.db)).toBe(2);
  });

  it('reports duplicates within a later batch and inserts only the new ones', async () => {
    const before = await countPosts(env.database.db);
    const result = await insertPosts(env.database.db, [post('same-1'), post('new-3')]);
    expect(result.insertedIds).toHaveLength(1);
    expect(result.duplicates).toBe(1);
    expect(await countPosts(env.database.db)).toBe(before + 1);
  });
});
