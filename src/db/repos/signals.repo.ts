import { and, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { ClassificationRow } from './classifications.repo.js';
import { posts, signals } from '../schema/index.js';

export type SignalRow = typeof signals.$inferSelect;

/**
 * Raises (or refreshes) the signal for each flagged classification. A signal a person already
 * reviewed keeps its state and labels; only unreviewed ones follow a newer model.
 */
export async function upsertSignals(db: Db, flagged: ClassificationRow[], publishedAt: Map<number, Date | null>): Promise<number> {
  if (flagged.length === 0) return 0;
  const rows = flagged.map((c) => ({
    postId: c.postId,
    classificationId: c.id,
    modelVersion: c.modelVersion,
    grievanceP: c.grievanceP,
    category: c.category,
    lodged: c.lodged,
    severity: c.severity,
    unit: c.unit,
    publishedAt: publishedAt.get(c.postId) ?? null,
  }));
  const result = await db.insert(signals).values(rows)
    .onConflictDoUpdate({
      target: signals.postId,
      set: {
        classificationId: sql`excluded.classification_id`,
        modelVersion: sql`excluded.model_version`,
        grievanceP: sql`excluded.grievance_p`,
        category: sql`excluded.category`,
        lodged: sql`excluded.lodged`,
        severity: sql`excluded.severity`,
        unit: sql`excluded.unit`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${signals.state} = 'new'`,
    })
    .returning({ id: signals.id });
  return result.length;
}

export interface SignalFilter {
  state?: string | undefined;
  category?: string | undefined;
  unit?: string | undefined;
  severity?: string | undefined;
  lodged?: string | undefined;
  modelVersion?: string | undefined;
  minP?: number | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}


export type SignalWithPost = SignalRow & { text: string | null; url: string | null; lang: string | null };

/** Newest first, keyset-paginated on id (identity order is creation order), so deep pages cost the same as the first. */
export async function listSignals(db: Db, filter: SignalFilter, limit: number, afterId?: number): Promise<SignalWithPost[]> {
  const where: SQL[] = [];
  if (filter.state) where.push(eq(signals.state, filter.state as SignalRow['state']));
  if (filter.category) where.push(eq(signals.category, filter.category));
  if (filter.unit) where.push(eq(signals.unit, filter.unit));
  if (filter.severity) where.push(eq(signals.severity, filter.severity));
  if (filter.lodged) where.push(eq(signals.lodged, filter.lodged));
  if (filter.modelVersion) where.push(eq(signals.modelVersion, filter.modelVersion));
  if (filter.minP !== undefined) where.push(gte(signals.grievanceP, filter.minP));
  if (filter.since) where.push(gte(signals.createdAt, filter.since));
  if (filter.until) where.push(lte(signals.createdAt, filter.until));
  if (afterId !== undefined) where.push(lt(signals.id, afterId));
  const rows = await db.select({ signal: signals, text: posts.text, url: posts.url, lang: posts.lang })
    .from(signals)
    .innerJoin(posts, eq(posts.id, signals.postId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(signals.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.signal, text: r.text, url: r.url, lang: r.lang }));
}

export async function getSignal(db: Db, id: number): Promise<SignalWithPost | undefined> {
  const [row] = await db.select({ signal: signals, text: posts.text, url: posts.url, lang: posts.lang })
    .from(signals).innerJoin(posts, eq(posts.id, signals.postId)).where(eq(signals.id, id));
  return row ? { ...row.signal, text: row.text, url: row.url, lang: row.lang } : undefined;
}

export async function countSignals(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(signals);
  return row?.n ?? 0;
}

export interface ReviewChange {
  state: SignalRow['state'];
  reviewedCategory: string | null;
  duplicateOf: number | null;
  note: string | null;
  reviewedBy: string;
}

export async function reviewSignal(db: Db, id: number, change: ReviewChange): Promise<boolean> {
  const rows = await db.update(signals).set({
    state: change.state,
    reviewedCategory: change.reviewedCategory,
    duplicateOf: change.duplicateOf,
    reviewNote: change.note,
    reviewedBy: change.reviewedBy,
    reviewedAt: sql`now()`,
    updatedAt: sql`now()`,
  }).where(eq(signals.id, id)).returning({ id: signals.id });
  return rows.length > 0;
}

/** Reviewed signals with their post text: the labels people gave, for training. */
export async function listReviewed(db: Db): Promise<(SignalWithPost & { modelCategory: string | null })[]> {
  const rows = await db.select({ signal: signals, text: posts.text, url: posts.url, lang: posts.lang })
    .from(signals).innerJoin(posts, eq(posts.id, signals.postId))
    .where(and(sql`${signals.reviewedAt} is not null`, sql`${posts.text} is not null`))
    .orderBy(signals.id);
  return rows.map((r) => ({ ...r.signal, text: r.text, url: r.url, lang: r.lang, modelCategory: r.signal.category }));
}
