import type { Db } from '../db/client.js';
import { findUnclassifiedPostIds } from '../db/repos/posts.repo.js';
import { erasePostsCollectedBefore } from '../db/repos/retention.repo.js';
import type { JobQueue } from '../queue/jobs.js';
import { enqueueClassification } from './collect.js';

export interface SweepDeps {
  db: Db;
  queue: JobQueue;
  modelVersion: string;
  classifyBatchSize: number;
  retentionDays: number;
}

/**
 * The safety net behind every queue: any stored post the current model has not classified yet
 * (a lost job, a crash between commit and enqueue, a new model version) is queued again; and
 * posts past the retention period lose their personal content.
 */
export async function sweep(deps: SweepDeps, options: { graceMs?: number; maxPosts?: number } = {}): Promise<{ requeued: number; erased: number }> {
  // Posts younger than the grace period are most likely still waiting in the queue.
  const requeued = await requeueUnclassified(deps, 'sweep', options.graceMs ?? 120_000, options.maxPosts ?? 10_000);
  const erased = await erasePostsCollectedBefore(deps.db, new Date(Date.now() - deps.retentionDays * 86_400_000));
  return { requeued, erased };
}

/** Queues every stored post the current model version has not classified yet (a new model: all of them). */
export async function requeueUnclassified(deps: Omit<SweepDeps, 'retentionDays'>, origin: string, graceMs: number, maxPosts: number): Promise<number> {
  const ids = await findUnclassifiedPostIds(deps.db, deps.modelVersion, new Date(Date.now() - graceMs), maxPosts);
  // One origin per round: a batch that failed for good earlier is tried again next round.
  await enqueueClassification(deps.queue, ids, deps.classifyBatchSize, `${origin}-${deps.modelVersion.replace(/[^\w.-]/g, '_')}-${Date.now()}`);
  return ids.length;
}
