import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnEntry, type Spawned } from '../support/processes.js';
import { createTestDatabase, queuePrefix, redisUrl, waitFor, type TestDatabase } from '../support/services.js';

/**
 * The docker-compose topology started natively: an `api` process and a `workers` process sharing
 * PostgreSQL and Redis, each with its own role, as the compose file runs them.
 */
describe('api and worker processes on PostgreSQL and Redis (compose topology, native)', () => {
  let testDb: TestDatabase;
  const procs: Spawned[] = [];
  beforeAll(async () => { testDb = await createTestDatabase('svc'); });
  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null) { p.child.kill('SIGKILL'); await p.exited; }
    await testDb.drop();
  });

  it('serves signals from the demo posts that the separate worker collected and classified', async () => {
    const env = {
      DATABASE_URL: testDb.url, REDIS_URL: redisUrl(), QUEUE_PREFIX: queuePrefix('svc'),
      PSEUDONYM_KEY: 'p'.repeat(40), DEMO_INGEST: 'true', LOG_LEVEL: 'warn', PORT: '0',
    };
    const api = spawnEntry('src/main.ts', ['api'], env);
    procs.push(api);
    const [, base, token] = await waitFor(async () => /API on (http:\/\/\S+)[\s\S]*first admin token[^:]*: (ks_\S+)/.exec(api.output()), 60_000, 'api banner');
    const worker = spawnEntry('src/main.ts', ['workers'], env);
    procs.push(worker);

    const items = await waitFor(async () => {
      const res = await request(`${base}/v1/signals?limit=100`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.body.json()) as { items: { text: string }[] };
      return body.items.length >= 5 && body.items;
    }, 90_000, 'signals from the worker');
    expect(items.every((s) => typeof s.text === 'string')).toBe(true);

    for (const p of [worker, api]) {
      p.child.kill('SIGTERM');
      expect(await p.exited, p.output()).toBe(0);
    }
  });
});
