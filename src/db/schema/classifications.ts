import { bigint, boolean, index, jsonb, pgTable, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { posts } from './posts.js';

/** One model version's reading of one post: every taxonomy field with the probability of its value. */
export const classifications = pgTable('classifications', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  postId: bigint('post_id', { mode: 'number' }).notNull().references(() => posts.id, { onDelete: 'cascade' }),
  modelVersion: text('model_version').notNull(),
  complaint: boolean('complaint').notNull(),
  complaintP: real('complaint_p').notNull(),
  policeRelated: boolean('police_related').notNull(),
  policeRelatedP: real('police_related_p').notNull(),
  grievance: boolean('grievance').notNull(),
  grievanceP: real('grievance_p').notNull(),
  category: text('category'),
  categoryP: real('category_p'),
  lodged: text('lodged'),
  lodgedP: real('lodged_p'),
  perspective: text('perspective'),
  perspectiveP: real('perspective_p'),
  severity: text('severity'),
  severityP: real('severity_p'),
  unit: text('unit').notNull(),
  unitP: real('unit_p').notNull(),
  distributions: jsonb('distributions').$type<Record<string, Record<string, number>>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('classifications_post_model_uq').on(t.postId, t.modelVersion),
  index('classifications_model_idx').on(t.modelVersion),
]);
