import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { createPrefilter } from '../../src/collectors/prefilter.js';
import { COLLECTORS } from '../../src/collectors/registry.js';
import { classifications, posts } from '../../src/db/schema/index.js';
import { issueToken } from '../../src/services/tokens.js';
import { hasContract, loadContract, serveContract } from '../support/contract.js';
import { silentLogger } from '../support/fixtures.js';
import { spawnEntry } from '../support/processes.js';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { migratedDatabase } from '../support/services.js';
import { createInProcessQueue } from '../../src/queue/in-process-queue.js';

/**
 * The operator's path for every kind: `npm run sources -- add` pointed at a local replay server,
 * then `run` (both real child processes on PostgreSQL); the posts land exactly once, are
 * classified, and flagged ones show up as signals in the API.
 */
describe.each(COLLECTORS.filter((c) => hasContract(c.kind)).map((c) => [c.kind, c] as const))('sources CLI end to end: %s', (kind, collector) => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let server: ReplayServer;
  beforeAll(async () => { env = await migratedDatabase(`cli${kind}`); server = await startReplayServer(); });
  afterAll(async () => { await server.close(); await env.close(); });

  it('add + run stores the expected posts once, classifies them, and shows signals', async () => {
    const spec = loadContract(kind);
    const config = serveContract(kind, spec, server) as Record<string, unknown>;
    const childEnv: Record<string, string> = { DATABASE_URL: env.testDb.url, PSEUDONYM_KEY: 'c'.repeat(32), LOG_LEVEL: 'warn' };
    for (const [name, value] of Object.entries(spec.secrets ?? {})) childEnv[`KS_SECRET_${name}`] = value;

    const add = spawnEntry('src/sources-cli.ts', ['add', '--kind', kind, '--name', `e2e-${kind}`, '--config', JSON.stringify(config)], childEnv);
    expect(await add.exited, add.output()).toBe(0);
    for (let round = 0; round < 2; round++) {
      const run = spawnEntry('src/sources-cli.ts', ['run', `e2e-${kind}`], childEnv);
      expect(await run.exited, run.output()).toBe(0);
    }

    const db = env.database.db;
    const prefilter = collector.prefilterByDefault ? createPrefilter() : () => ({ keep: true });
    // A contract may list a post twice (seen again, edited); the store keeps it once.
    const expectedIds = [...new Set(spec.expected.filter((p) => prefilter({ ...p, publishedAt: null }).keep).map((p) => p.externalId))].sort();
    const stored = await db.select({ externalId: posts.externalId, id: posts.id, deleted: posts.deletedAt }).from(posts);
    const deleted = new Set(spec.deleted ?? []);
    expect(stored.map((p) => p.externalId).filter((id) => !deleted.has(id)).sort()).toEqual(expectedIds.filter((id) => !deleted.has(id)));
    for (const p of stored) {
      if (p.deleted) continue;
      const [row] = await db.select({ n: count() }).from(classifications).where(eq(classifications.postId, p.id));
      expect(row!.n, `post ${p.externalId} classified once`).toBe(1);
    }

    const { token } = await issueToken(db, 'cli-check', 'coordinator');
    const app = createApp({ db, database: env.database, queue: createInProcessQueue(silentLogger), logger: silentLogger, pseudonymKey: 'c'.repeat(32) });
    const res = await app.request('/v1/signals?limit=200', { headers: { authorization: `Bearer ${token}` } });
    const body = await res.json() as { items: { post_id: number }[] };
    const flagged = await db.select({ postId: classifications.postId }).from(classifications).where(eq(classifications.grievance, true));
    expect(body.items.map((s) => s.post_id).sort()).toEqual(flagged.map((f) => f.postId).sort());
  });
});
