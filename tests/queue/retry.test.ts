import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { HttpClient } from '../../src/collectors/http.js';
import { createBullmqQueue } from '../../src/queue/bullmq-queue.js';
import { createInProcessQueue } from '../../src/queue/in-process-queue.js';
import type { JobQueue } from '../../src/queue/jobs.js';
import { classifyPosts } from '../../src/services/classify.js';
import { classifications, signals } from '../../src/db/schema/index.js';
import type { Classifier } from '../../src/domain/types.js';
import { migratedDatabase, queuePrefix, redisUrl, waitFor } from '../support/services.js';
import { baselineClassifier, GRIEVANCE, NOT_GRIEVANCE, seedPosts, silentLogger } from '../support/fixtures.js';

/** A classifier that fails its first call the way a crashed model or lost connection would. */
function failingOnce(): Classifier & { calls: number } {
  const inner = baselineClassifier();
  return {
    version: inner.version,
    calls: 0,
    async classify(texts) {
      this.calls++;
      if (this.calls === 1) throw new Error('simulated failure on the first attempt');
      return inner.classify(texts);
    },
  };
}

describe.each([
  ['bullmq on redis', () => createBullmqQueue(redisUrl(), queuePrefix('retry'), silentLogger)],
  ['in-process', () => createInProcessQueue(silentLogger)],
])('a classify job that throws (%s)', (_name, makeQueue: () => JobQueue) => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let queue: JobQueue;
  beforeAll(async () => { env = await migratedDatabase('retry'); queue = makeQueue(); });
  afterAll(async () => { await queue.close(); await env.close(); });

  it('is retried and its effect lands exactly once', async () => {
    const db = env.database.db;
    const ids = await seedPosts(db, [GRIEVANCE, NOT_GRIEVANCE]);
    const classifier = failingOnce();
    let attempts = 0;
    await queue.startWorkers(['classify'], {
      'post.classify': async ({ postIds }, ctx) => { attempts = ctx.attempt; return classifyPosts({ db, classifier, signalThreshold: undefined }, postIds); },
    });
    await queue.enqueue('post.classify', { postIds: ids }, { jobId: 'retry-test' });
    await queue.enqueue('post.classify', { postIds: ids }, { jobId: 'retry-test' });
    await waitFor(async () => (await db.select({ n: count() }).from(classifications))[0]!.n === 2, 30_000, 'classifications');
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts).toBe(2);
    expect(classifier.calls).toBe(2);
    expect((await db.select({ n: count() }).from(classifications))[0]!.n).toBe(2);
    const raised = await db.select().from(signals);
    expect(raised).toHaveLength(1);
    expect(raised[0]!.postId).toBe(ids[0]);
    const again = await classifyPosts({ db, classifier, signalThreshold: undefined }, ids);
    expect(again.classified).toBe(2);
    expect((await db.select({ n: count() }).from(signals).where(eq(signals.postId, ids[0]!)))[0]!.n).toBe(1);
  });
});

describe('a poisoned job', () => {
  it('ends in the failed state, visible in the queue counts and on /metrics', async () => {
    const env = await migratedDatabase('poison');
    const queue = createBullmqQueue(redisUrl(), queuePrefix('poison'), silentLogger);
    try {
      const { createApp } = await import('../../src/api/app.js');
      const { issueToken } = await import('../../src/services/tokens.js');
      const { collectSource } = await import('../../src/services/collect.js');
      const db = env.database.db;
      await queue.startWorkers(['collect'], {
        'source.collect': ({ sourceId }) => collectSource({ db, queue, logger: silentLogger, http: new HttpClient(), secrets: {}, pseudonymKey: 'k'.repeat(32), classifyBatchSize: 8 }, sourceId),
      });
      await queue.enqueue('source.collect', { sourceId: 424242 });
      await waitFor(async () => (await queue.counts()).collect!.failed === 1, 20_000, 'failed job');
      const { token } = await issueToken(db, 'prometheus', 'integration');
      const app = createApp({ db, database: env.database, queue, logger: silentLogger, pseudonymKey: 'k'.repeat(32) });
      const res = await app.request('/metrics', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^klachtsignaal_jobs\{queue="collect",state="failed"\} 1$/m);
      expect((await app.request('/metrics')).status).toBe(401);
    } finally {
      await queue.close();
      await env.close();
    }
  });
});
