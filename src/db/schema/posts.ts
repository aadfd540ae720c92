import { bigint, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sources } from './sources.js';

/**
 * A public post as collected. The author is stored only as a keyed hash; `text` is null once the
 * post was deleted at the source or erased on request (the row stays so counts remain honest).
 */
export const posts = pgTable('posts', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  sourceId: bigint('source_id', { mode: 'number' }).notNull().references(() => sources.id, { onDelete: 'restrict' }),
  externalId: text('external_id').notNull(),
  url: text('url'),
  authorPseudonym: text('author_pseudonym'),
  text: text('text'),
  lang: text('lang'),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  collectedAt: timestamp('collected_at', { withTimezone: true }).notNull().defaultNow(),
  contentHash: text('content_hash').notNull(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('posts_source_external_uq').on(t.sourceId, t.externalId),
  index('posts_collected_idx').on(t.collectedAt),
  index('posts_content_hash_idx').on(t.contentHash),
  index('posts_author_idx').on(t.authorPseudonym),
]);
