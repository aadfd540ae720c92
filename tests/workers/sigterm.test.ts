import { count, countDistinct } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifications, signals } from '../../src/db/schema/index.js';
import { createBullmqQueue } from '../../src/queue/bullmq-queue.js';
import type { JobQueue } from '../../src/queue/jobs.js';
import { enqueueClassification } from '../../src/services/collect.js';
import { baselineClassifier, GRIEVANCE, NOT_GRIEVANCE, seedPosts, silentLogger } from '../support/fixtures.js';
import { spawnEntry } from '../support/processes.js';
import { migratedDatabase, queuePrefix, redisUrl, waitFor } from '../support/services.js';

const N = 600;

describe('SIGTERM during a batch', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let queue: JobQueue;
  let prefix: string;
  beforeAll(async () => {
    env = await migratedDatabase('sigterm');
    prefix = queuePrefix('sigterm');
    queue = createBullmqQueue(redisUrl(), prefix, silentLogger);
  });
  afterAll(async () => { await queue.close(); await env.close(); });

  const classified = async () => (await env.database.db.select({ n: count() }).from(classifications))[0]!.n;
  const workerEnv = () => ({ DATABASE_URL: env.testDb.url, REDIS_URL: redisUrl(), QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', PSEUDONYM_KEY: 'k'.repeat(32), CLASSIFIER_MODEL: 'keyword-baseline' }); // the count of signals below is the baseline's

  it('lets in-flight jobs finish, exits cleanly, and a restarted worker completes the rest exactly once', async () => {
    const texts = Array.from({ length: N }, (_, i) => `${i % 3 === 0 ? GRIEVANCE : NOT_GRIEVANCE} (#${i})`);
    const ids = await seedPosts(env.database.db, texts);
    await enqueueClassification(queue, ids, 3, 'sigterm-test');

    const first = spawnEntry('workers/run.ts', ['classify'], workerEnv());
    await waitFor(async () => (await classified()) > 0, 60_000, 'first classifications');
    first.child.kill('SIGTERM');
    const atSignal = await classified();
    expect(await first.exited, first.output()).toBe(0);
    expect(atSignal, 'the worker finished before SIGTERM arrived; raise N').toBeLessThan(N);

    const counts = (await queue.counts()).classify!;
    expect(counts.active, 'a job was left active (would be picked up only after the stall timeout)').toBe(0);
    expect(counts.failed).toBe(0);
    const afterExit = await classified();
    expect(afterExit % 3 === 0 || afterExit === N, `a batch was cut in half: ${afterExit}`).toBe(true);

    const second = spawnEntry('workers/run.ts', ['classify'], workerEnv());
    await waitFor(async () => (await classified()) === N, 90_000, 'all posts classified');
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);

    const [distinct] = await env.database.db.select({ n: countDistinct(classifications.postId) }).from(classifications);
    expect(distinct!.n).toBe(N);
    const expectedFlagged = (await baselineClassifier().classify(texts)).filter((c) => c.grievance.value).length;
    expect((await env.database.db.select({ n: count() }).from(signals))[0]!.n).toBe(expectedFlagged);
  });
});
