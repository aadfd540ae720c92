import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** A formal complaint imported from the registration system, in taxonomy terms for side-by-side counts. */
export const formalComplaints = pgTable('formal_complaints', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  externalRef: text('external_ref').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  category: text('category').notNull(),
  unit: text('unit').notNull(),
  channel: text('channel'),
  status: text('status'),
  outcome: text('outcome'),
  importBatch: text('import_batch'),
  extra: jsonb('extra').$type<Record<string, unknown>>(),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('formal_complaints_ref_uq').on(t.externalRef),
  index('formal_complaints_received_idx').on(t.receivedAt),
  index('formal_complaints_category_unit_idx').on(t.category, t.unit),
]);
