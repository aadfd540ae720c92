import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { toClassificationRow, upsertClassifications } from '../db/repos/classifications.repo.js';
import { upsertSignals } from '../db/repos/signals.repo.js';
import { posts } from '../db/schema/index.js';
import type { Classifier } from '../domain/types.js';

export interface ClassifyDeps {
  db: Db;
  classifier: Classifier;
  /** Grievance probability from which a signal is raised; undefined = the model's own decision. */
  signalThreshold: number | undefined;
}

/**
 * Classifies posts and raises signals for the flagged ones, all in one transaction. Rerunning it
 * for the same posts and model leaves one classification and one signal per post.
 */
export async function classifyPosts(deps: ClassifyDeps, postIds: number[]): Promise<{ classified: number; flagged: number }> {
  const rows = postIds.length === 0 ? [] : await deps.db
    .select({ id: posts.id, text: posts.text, publishedAt: posts.publishedAt })
    .from(posts).where(inArray(posts.id, postIds));
  const withText = rows.filter((r): r is typeof r & { text: string } => r.text !== null);
  if (withText.length === 0) return { classified: 0, flagged: 0 };
  const results = await deps.classifier.classify(withText.map((r) => r.text));
  const version = deps.classifier.version;
  return deps.db.transaction(async (tx) => {
    const stored = await upsertClassifications(tx as unknown as Db, withText.map((r, i) => toClassificationRow(r.id, version, results[i]!)));
    const flagged = stored.filter((c) => deps.signalThreshold === undefined ? c.grievance : c.grievanceP >= deps.signalThreshold);
    const published = new Map(withText.map((r) => [r.id, r.publishedAt]));
    await upsertSignals(tx as unknown as Db, flagged, published);
    return { classified: stored.length, flagged: flagged.length };
  });
}
