import { sql } from 'drizzle-orm';
import { bigint, boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex, index } from 'drizzle-orm/pg-core';

/** A place posts come from: a collector kind plus its configuration, cursor and health. */
export const sources = pgTable('sources', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  config: jsonb('config').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  /** Seconds between scheduled collections; null = only on demand. */
  intervalSeconds: integer('interval_seconds'),
  enabled: boolean('enabled').notNull().default(true),
  cursor: jsonb('cursor').$type<unknown>(),
  healthStatus: text('health_status').$type<'ok' | 'failing' | 'disabled' | 'never_run'>().notNull().default('never_run'),
  lastError: text('last_error'),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('sources_name_uq').on(t.name)]);

/** One collection run of a source: what was fetched, stored, skipped, and any gap. */
export const sourceRuns = pgTable('source_runs', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  sourceId: bigint('source_id', { mode: 'number' }).notNull().references(() => sources.id, { onDelete: 'cascade' }),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  status: text('status').$type<'running' | 'ok' | 'failed' | 'interrupted'>().notNull().default('running'),
  fetched: integer('fetched').notNull().default(0),
  inserted: integer('inserted').notNull().default(0),
  duplicates: integer('duplicates').notNull().default(0),
  filtered: integer('filtered').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  deleted: integer('deleted').notNull().default(0),
  /** What the prefilter dropped, per reason (language, no_keyword). */
  filteredBy: jsonb('filtered_by').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
  cursorAfter: jsonb('cursor_after').$type<unknown>(),
  gap: jsonb('gap').$type<Record<string, unknown>>(),
  error: text('error'),
}, (t) => [index('source_runs_source_started_idx').on(t.sourceId, t.startedAt.desc())]);
