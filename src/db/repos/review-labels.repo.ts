import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { LabelledPost } from '../../classifier/labelled.js';
import type { Category } from '../../domain/taxonomy.js';
import type { Db } from '../client.js';
import { posts, signals } from '../schema/index.js';

/**
 * Reviewed signals as training labels (contract in src/classifier/review-labels.ts): confirm and
 * escalate say "a grievance, in this category"; dismiss says "not a grievance" and nothing else.
 * Duplicates and unreviewed signals teach nothing; erased or deleted posts have no text to learn from.
 */
export async function listReviewLabels(db: Db): Promise<LabelledPost[]> {
  const rows = await db.select({
    postId: posts.id, text: posts.text, lang: posts.lang, state: signals.state,
    category: signals.category, reviewedCategory: signals.reviewedCategory,
  })
    .from(signals)
    .innerJoin(posts, eq(posts.id, signals.postId))
    .where(and(inArray(signals.state, ['confirmed', 'escalated', 'dismissed']), isNotNull(posts.text)))
    .orderBy(posts.id);
  return rows.map((row) => {
    const base = { id: `review-${row.postId}`, text: row.text!, ...(row.lang ? { lang: row.lang } : {}) };
    if (row.state === 'dismissed') return { ...base, grievance: false };
    const category = (row.reviewedCategory ?? row.category) as Category | null;
    return { ...base, grievance: true, complaint: true, police_related: true, ...(category ? { category } : {}) };
  });
}
