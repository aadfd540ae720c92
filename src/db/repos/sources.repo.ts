import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { sourceRuns, sources } from '../schema/index.js';

export type SourceRow = typeof sources.$inferSelect;
export type NewSource = typeof sources.$inferInsert;
export type SourceRunRow = typeof sourceRuns.$inferSelect;

export async function getSource(db: Db, id: number): Promise<SourceRow | undefined> {
  const [row] = await db.select().from(sources).where(eq(sources.id, id));
  return row;
}

export async function getSourceByName(db: Db, name: string): Promise<SourceRow | undefined> {
  const [row] = await db.select().from(sources).where(eq(sources.name, name));
  return row;
}

/** Creates the source, or returns the existing one of that name unchanged. */
export async function ensureSource(db: Db, source: NewSource): Promise<SourceRow> {
  await db.insert(sources).values(source).onConflictDoNothing({ target: sources.name });
  return (await getSourceByName(db, source.name))!;
}

export async function insertSource(db: Db, source: NewSource): Promise<SourceRow> {
  const [row] = await db.insert(sources).values(source).returning();
  return row!;
}

export async function updateSource(db: Db, id: number, patch: Partial<NewSource>): Promise<SourceRow> {
  const [row] = await db.update(sources).set(patch).where(eq(sources.id, id)).returning();
  return row!;
}

export async function listSources(db: Db, onlyEnabled = false): Promise<SourceRow[]> {
  return db.select().from(sources).where(onlyEnabled ? eq(sources.enabled, true) : undefined).orderBy(sources.id);
}

export async function saveCursor(db: Db, sourceId: number, cursor: unknown): Promise<void> {
  await db.update(sources).set({ cursor }).where(eq(sources.id, sourceId));
}

/** Runs still 'running' when a new one starts under the source's lock belonged to a process that died. */
export async function markInterruptedRuns(db: Db, sourceId: number): Promise<number> {
  const rows = await db.update(sourceRuns)
    .set({ status: 'interrupted', finishedAt: sql`now()`, error: 'the collecting process stopped before the run finished; the next run resumed from the saved cursor' })
    .where(and(eq(sourceRuns.sourceId, sourceId), eq(sourceRuns.status, 'running')))
    .returning({ id: sourceRuns.id });
  return rows.length;
}

export async function startRun(db: Db, sourceId: number): Promise<number> {
  const [row] = await db.insert(sourceRuns).values({ sourceId }).returning({ id: sourceRuns.id });
  return row!.id;
}

export interface RunCounts { fetched: number; inserted: number; duplicates: number; filtered: number; failed: number; deleted: number; filteredBy: Record<string, number> }

/** Adds one page's counts to a running run; called in the same transaction as the page's posts. */
export async function addRunCounts(db: Db, runId: number, counts: RunCounts, cursorAfter: unknown): Promise<void> {
  await db.update(sourceRuns).set({
    fetched: sql`${sourceRuns.fetched} + ${counts.fetched}`,
    inserted: sql`${sourceRuns.inserted} + ${counts.inserted}`,
    duplicates: sql`${sourceRuns.duplicates} + ${counts.duplicates}`,
    filtered: sql`${sourceRuns.filtered} + ${counts.filtered}`,
    failed: sql`${sourceRuns.failed} + ${counts.failed}`,
    deleted: sql`${sourceRuns.deleted} + ${counts.deleted}`,
    filteredBy: sql`(select coalesce(jsonb_object_agg(k, v), '{}'::jsonb) from (
      select key as k, sum(value::int) as v from (
        select * from jsonb_each_text(${sourceRuns.filteredBy}) union all select * from jsonb_each_text(${JSON.stringify(counts.filteredBy)}::jsonb)
      ) both_sides group by key) merged)`,
    cursorAfter,
  }).where(eq(sourceRuns.id, runId));
}

export async function finishRun(db: Db, runId: number, sourceId: number, outcome: { error?: string; gap?: Record<string, unknown> }): Promise<void> {
  const failed = outcome.error !== undefined;
  await db.update(sourceRuns).set({
    finishedAt: sql`now()`,
    status: failed ? 'failed' : 'ok',
    error: outcome.error ?? null,
    gap: outcome.gap ?? null,
  }).where(eq(sourceRuns.id, runId));
  await db.update(sources).set({
    lastRunAt: sql`now()`,
    healthStatus: sql`case when ${sources.healthStatus} = 'disabled' then 'disabled' when ${failed} then 'failing' else 'ok' end`,
    lastError: outcome.error ?? null,
    consecutiveFailures: failed ? sql`${sources.consecutiveFailures} + 1` : 0,
  }).where(and(eq(sources.id, sourceId)));
}

export async function patchSourceConfig(db: Db, sourceId: number, patch: Record<string, unknown>): Promise<void> {
  await db.update(sources).set({ config: sql`${sources.config} || ${JSON.stringify(patch)}::jsonb` }).where(eq(sources.id, sourceId));
}

export async function disableSource(db: Db, sourceId: number, reason: string): Promise<void> {
  await db.update(sources).set({ enabled: false, healthStatus: 'disabled', lastError: reason }).where(eq(sources.id, sourceId));
}

export async function listRuns(db: Db, sourceId: number, limit = 20): Promise<SourceRunRow[]> {
  return db.select().from(sourceRuns).where(eq(sourceRuns.sourceId, sourceId)).orderBy(desc(sourceRuns.id)).limit(limit);
}
