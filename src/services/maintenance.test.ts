import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { posts } from '../db/schema/index.js';
import type { JobPayloads, JobQueue } from '../queue/jobs.js';
import { createInProcessQueue } from '../queue/in-process-queue.js';
import { classifyPosts } from './classify.js';
import { sweep } from './maintenance.js';
import { baselineClassifier, GRIEVANCE, NOT_GRIEVANCE, seedPosts, silentLogger } from '../../tests/support/fixtures.js';
import { migratedDatabase } from '../../tests/support/services.js';

/** Records what would be queued instead of running it. */
function recordingQueue(): JobQueue & { classified: number[][] } {
  const inner = createInProcessQueue(silentLogger);
  const classified: number[][] = [];
  return { ...inner, classified, enqueue: async (name, data) => { if (name === 'post.classify') classified.push((data as JobPayloads['post.classify']).postIds); } };
}

describe('maintenance sweep', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  beforeAll(async () => { env = await migratedDatabase('sweep'); });
  afterAll(async () => env.close());

  it('re-queues stored posts the current model has not classified, past the grace period only', async () => {
    const db = env.database.db;
    const ids = await seedPosts(db, [GRIEVANCE, NOT_GRIEVANCE, `${GRIEVANCE} (2)`], 'sweep');
    const classifier = baselineClassifier();
    await classifyPosts({ db, classifier, signalThreshold: undefined }, [ids[0]!]);
    const queue = recordingQueue();
    const deps = { db, queue, modelVersion: classifier.version, classifyBatchSize: 10, retentionDays: 365 };

    expect((await sweep(deps)).requeued).toBe(0); // all collected just now: still within the grace period
    const result = await sweep(deps, { graceMs: 0 });
    expect(result.requeued).toBe(2);
    expect(queue.classified.flat().sort()).toEqual([ids[1], ids[2]].sort());
    expect((await sweep({ ...deps, modelVersion: 'a-new-model' }, { graceMs: 0 })).requeued).toBe(3);
  });

  it('erases the content of posts older than the retention period and keeps the rows', async () => {
    const db = env.database.db;
    const [old, fresh] = await seedPosts(db, ['oude post over de politie', 'nieuwe post over de politie'], 'retention');
    await db.update(posts).set({ collectedAt: sql`now() - interval '400 days'`, authorPseudonym: 'abc' }).where(eq(posts.id, old!));
    const result = await sweep({ db, queue: recordingQueue(), modelVersion: 'x', classifyBatchSize: 10, retentionDays: 365 }, { graceMs: 0 });
    expect(result.erased).toBe(1);
    const [oldRow] = await db.select().from(posts).where(eq(posts.id, old!));
    const [freshRow] = await db.select().from(posts).where(eq(posts.id, fresh!));
    expect(oldRow).toMatchObject({ text: null, authorPseudonym: null, url: null });
    expect(oldRow!.deletedAt).not.toBeNull();
    expect(freshRow!.text).toBe('nieuwe post over de politie');
  });
});
