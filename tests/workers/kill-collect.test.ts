import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/collectors/http.js';
import type { Db } from '../../src/db/client.js';
import { ensureSource, listRuns } from '../../src/db/repos/sources.repo.js';
import { posts } from '../../src/db/schema/index.js';
import { createBullmqQueue } from '../../src/queue/bullmq-queue.js';
import { createInProcessQueue } from '../../src/queue/in-process-queue.js';
import type { JobQueue } from '../../src/queue/jobs.js';
import { collectSource } from '../../src/services/collect.js';
import { silentLogger } from '../support/fixtures.js';
import { spawnEntry } from '../support/processes.js';
import { migratedDatabase, queuePrefix, redisUrl, waitFor } from '../support/services.js';

const N = 6000;
const KEY = 'crash-test-key-crash-test-key-1234';

const snapshot = async (db: Db) => db
  .select({ externalId: posts.externalId, text: posts.text, author: posts.authorPseudonym, hash: posts.contentHash, url: posts.url })
  .from(posts).orderBy(asc(posts.externalId));

describe('a worker killed in the middle of a collection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-kill-'));
  let reference: Awaited<ReturnType<typeof migratedDatabase>>;
  let crashed: Awaited<ReturnType<typeof migratedDatabase>>;
  let queue: JobQueue;
  let prefix: string;
  beforeAll(async () => {
    writeFileSync(join(dir, 'posts.jsonl'), Array.from({ length: N }, (_, i) =>
      JSON.stringify({ id: `p${i}`, text: `Agent was onbeschoft bij controle nummer ${i}`, author: `user${i % 50}`, url: `https://e.org/${i}` })).join('\n') + '\n');
    [reference, crashed] = await Promise.all([migratedDatabase('killref'), migratedDatabase('killed')]);
    prefix = queuePrefix('kill');
    queue = createBullmqQueue(redisUrl(), prefix, silentLogger);
  });
  afterAll(async () => {
    await queue.close();
    await reference.close();
    await crashed.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves, once restarted, the same database content as an uninterrupted run', async () => {
    const config = { path: dir, pageSize: 20 };
    const refSource = await ensureSource(reference.database.db, { kind: 'jsonl', name: 'crash', config });
    const local = createInProcessQueue(silentLogger);
    await collectSource({ db: reference.database.db, queue: local, logger: silentLogger, http: new HttpClient(), secrets: {}, pseudonymKey: KEY, classifyBatchSize: 32 }, refSource.id, Infinity);
    await local.close();

    const db = crashed.database.db;
    const source = await ensureSource(db, { kind: 'jsonl', name: 'crash', config });
    const env = { DATABASE_URL: crashed.testDb.url, REDIS_URL: redisUrl(), QUEUE_PREFIX: prefix, PSEUDONYM_KEY: KEY, LOG_LEVEL: 'warn' };
    const countPosts = async () => (await db.select({ n: count() }).from(posts))[0]!.n;

    const first = spawnEntry('workers/run.ts', ['collect'], env);
    await queue.enqueue('source.collect', { sourceId: source.id }, { jobId: 'crash-run-1' });
    await waitFor(async () => (await countPosts()) > 0, 60_000, 'first posts');
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = await countPosts();
    expect(atKill, 'the collection finished before the kill; raise N').toBeLessThan(N);

    const second = spawnEntry('workers/run.ts', ['collect'], env);
    await queue.enqueue('source.collect', { sourceId: source.id }, { jobId: 'crash-run-2' });
    await waitFor(async () => (await countPosts()) === N && (await listRuns(db, source.id))[0]?.status === 'ok', 90_000, 'collection to complete');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    expect(await snapshot(db)).toEqual(await snapshot(reference.database.db));
    const runs = await listRuns(db, source.id);
    expect(runs.map((r) => r.status).sort(), 'the killed run is marked interrupted, not left running').toEqual(['interrupted', 'ok']);
  });
});

describe('two collections of one source at once', () => {
  it('run one after the other, never interleaved: the second finds the lock taken and skips', async () => {
    const env = await migratedDatabase('lock');
    const dir = mkdtempSync(join(tmpdir(), 'ks-lock-'));
    try {
      writeFileSync(join(dir, 'p.jsonl'), Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: `x${i}`, text: `politie ${i}` })).join('\n') + '\n');
      const db = env.database.db;
      const source = await ensureSource(db, { kind: 'jsonl', name: 'locked', config: { path: dir, pageSize: 10 } });
      const local = createInProcessQueue(silentLogger);
      const deps = { db, queue: local, logger: silentLogger, http: new HttpClient(), secrets: {}, pseudonymKey: KEY, classifyBatchSize: 32, exclusive: env.database.exclusive };
      const [a, b] = await Promise.all([collectSource(deps, source.id, Infinity), collectSource(deps, source.id, Infinity)]);
      await local.close();
      expect([a.skipped, b.skipped].filter(Boolean)).toEqual(['already_running']);
      expect(a.inserted + b.inserted).toBe(2000);
      expect((await listRuns(db, source.id)).map((r) => r.status)).toEqual(['ok']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await env.close();
    }
  });
});
