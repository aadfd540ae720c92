import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { classifications, posts } from '../schema/index.js';

export type PostRow = typeof posts.$inferSelect;
export type NewPost = typeof posts.$inferInsert;

/**
 * Inserts posts; a post already stored for the same source and external id is left as it is.
 * Safe under concurrency: the unique index decides, so racing inserts store each post once.
 */
export async function insertPosts(db: Db, rows: NewPost[]): Promise<{ insertedIds: number[]; duplicates: number }> {
  if (rows.length === 0) return { insertedIds: [], duplicates: 0 };
  const inserted = await db.insert(posts).values(rows)
    .onConflictDoNothing({ target: [posts.sourceId, posts.externalId] })
    .returning({ id: posts.id });
  return { insertedIds: inserted.map((r) => r.id), duplicates: rows.length - inserted.length };
}

export async function getPost(db: Db, id: number): Promise<PostRow | undefined> {
  const [row] = await db.select().from(posts).where(eq(posts.id, id));
  return row;
}

export async function getPostTexts(db: Db, ids: number[]): Promise<{ id: number; text: string | null }[]> {
  if (ids.length === 0) return [];
  return db.select({ id: posts.id, text: posts.text }).from(posts).where(inArray(posts.id, ids));
}

/** Posts with text, collected before `collectedBefore`, that the given model version has not classified, oldest first. */
export async function findUnclassifiedPostIds(db: Db, modelVersion: string, collectedBefore: Date, limit: number): Promise<number[]> {
  const rows = await db.select({ id: posts.id }).from(posts)
    .leftJoin(classifications, and(eq(classifications.postId, posts.id), eq(classifications.modelVersion, modelVersion)))
    .where(and(isNull(classifications.id), isNull(posts.deletedAt), sql`${posts.text} is not null`, lt(posts.collectedAt, collectedBefore)))
    .orderBy(posts.id)
    .limit(limit);
  return rows.map((r) => r.id);
}

export async function countPosts(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(posts);
  return row?.n ?? 0;
}
