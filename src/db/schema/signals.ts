import { bigint, index, pgTable, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { SignalState } from '../../domain/taxonomy.js';
import { classifications } from './classifications.js';
import { posts } from './posts.js';

/**
 * A post the classifier flagged as a grievance, with its review state. One per post; the label
 * columns are copied from the current classification so filters need no join.
 */
export const signals = pgTable('signals', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  postId: bigint('post_id', { mode: 'number' }).notNull().references(() => posts.id, { onDelete: 'cascade' }),
  classificationId: bigint('classification_id', { mode: 'number' }).notNull().references(() => classifications.id, { onDelete: 'cascade' }),
  modelVersion: text('model_version').notNull(),
  grievanceP: real('grievance_p').notNull(),
  category: text('category'),
  lodged: text('lodged'),
  severity: text('severity'),
  unit: text('unit').notNull(),
  state: text('state').$type<SignalState>().notNull().default('new'),
  /** The reviewer's category where it differs from the model's; a training label. */
  reviewedCategory: text('reviewed_category'),
  reviewNote: text('review_note'),
  /** For state 'duplicate': the signal this one repeats. */
  duplicateOf: bigint('duplicate_of', { mode: 'number' }),
  reviewedBy: text('reviewed_by'),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('signals_post_uq').on(t.postId),
  index('signals_state_id_idx').on(t.state, t.id.desc()),
  index('signals_category_id_idx').on(t.category, t.id.desc()),
  index('signals_unit_id_idx').on(t.unit, t.id.desc()),
  index('signals_created_idx').on(t.createdAt),
]);
