import { and, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { posts } from '../schema/index.js';

/**
 * Removes the personal content of the matching posts: text, author pseudonym and URL go, the row
 * and its labels stay so counts over time remain true. Returns how many posts changed.
 */
async function eraseContentWhere(db: Db, where: SQL | undefined): Promise<number> {
  const rows = await db.update(posts)
    .set({ text: null, authorPseudonym: null, url: null, deletedAt: sql`coalesce(${posts.deletedAt}, now())` })
    .where(where)
    .returning({ id: posts.id });
  return rows.length;
}

/** Retention: posts collected before `before`. */
export const erasePostsCollectedBefore = (db: Db, before: Date) =>
  eraseContentWhere(db, and(lt(posts.collectedAt, before), isNull(posts.deletedAt)));

/** Erasure on request of one post. */
export const erasePost = async (db: Db, id: number) => (await eraseContentWhere(db, eq(posts.id, id))) > 0;

/** Erasure on request: every post by one pseudonymised author. */
export const erasePostsByAuthor = (db: Db, authorPseudonym: string) =>
  eraseContentWhere(db, eq(posts.authorPseudonym, authorPseudonym));

/** Deletions at the source. */
export const markDeletedAtSource = (db: Db, sourceId: number, externalIds: string[]) =>
  externalIds.length === 0 ? Promise.resolve(0)
    : eraseContentWhere(db, and(eq(posts.sourceId, sourceId), inArray(posts.externalId, externalIds), isNull(posts.deletedAt)));
