import { UnrecoverableError } from 'bullmq';
import { transientGap, type HttpClient } from '../collectors/http.js';
import { createPrefilter, prefilterSchema } from '../collectors/prefilter.js';
import { getCollector } from '../collectors/registry.js';
import { MalformedItemError, SourceError, type CollectionGap, type FetchContext } from '../collectors/types.js';
import type { Db } from '../db/client.js';
import { insertPosts, type NewPost } from '../db/repos/posts.repo.js';
import { markDeletedAtSource } from '../db/repos/retention.repo.js';
import { addRunCounts, disableSource, finishRun, getSource, markInterruptedRuns, patchSourceConfig, saveCursor, startRun, type RunCounts } from '../db/repos/sources.repo.js';
import type { CollectedPost } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { contentHash, pseudonymiseHandle } from '../privacy/pseudonymise.js';
import { classifyJobId, type JobQueue } from '../queue/jobs.js';

export interface CollectDeps {
  db: Db;
  queue: JobQueue;
  logger: Logger;
  http: HttpClient;
  secrets: Readonly<Record<string, string>>;
  /** Shared across runs in this process (tokens, sessions). */
  collectorState?: Map<string, unknown>;
  pseudonymKey: string;
  classifyBatchSize: number;
  /** Mutual exclusion per source across processes (Database.exclusive); absent = no other collector runs. */
  exclusive?: <T>(namespace: number, key: number, fn: () => Promise<T>) => Promise<T | undefined>;
}

const COLLECT_LOCK_NAMESPACE = 7_101;

export interface CollectOutcome extends RunCounts {
  runId: number;
  pages: number;
  gap?: CollectionGap;
  disabled?: string;
  /** Another process held this source's lock: nothing was collected by this call. */
  skipped?: 'already_running';
}

export function toNewPost(sourceId: number, platform: string, key: string, post: CollectedPost): NewPost {
  return {
    sourceId,
    externalId: post.externalId,
    url: post.url,
    authorPseudonym: post.authorHandle ? pseudonymiseHandle(key, platform, post.authorHandle) : null,
    text: post.text,
    lang: post.lang,
    publishedAt: post.publishedAt,
    contentHash: contentHash(post.text),
  };
}

/** Queues classification of freshly stored posts in batches; the job id makes a replay a no-op. */
export async function enqueueClassification(queue: JobQueue, postIds: number[], batchSize: number, origin: string): Promise<void> {
  for (let i = 0; i < postIds.length; i += batchSize) {
    const batch = postIds.slice(i, i + batchSize);
    await queue.enqueue('post.classify', { postIds: batch }, { jobId: classifyJobId(origin, batch) });
  }
}

const emptyCounts = (): RunCounts => ({ fetched: 0, inserted: 0, duplicates: 0, filtered: 0, failed: 0, deleted: 0, filteredBy: {} });

/**
 * Collects one source from its saved cursor until the collector says it is done (or `maxPages`).
 * Each page's posts, deletions, run counts and the new cursor commit in one transaction, so a
 * crash mid-run repeats at most the uncommitted page and the unique key absorbs the repeat.
 */
export async function collectSource(deps: CollectDeps, sourceId: number, maxPages = 1000): Promise<CollectOutcome> {
  const exclusive = deps.exclusive ?? ((_ns, _key, fn) => fn());
  const outcome = await exclusive(COLLECT_LOCK_NAMESPACE, sourceId, async () => {
    await markInterruptedRuns(deps.db, sourceId);
    return collectUnderLock(deps, sourceId, maxPages);
  });
  if (outcome === undefined) {
    deps.logger.info({ sourceId }, 'collection skipped: another process is collecting this source');
    return { runId: 0, pages: 0, ...emptyCounts(), skipped: 'already_running' };
  }
  return outcome;
}

async function collectUnderLock(deps: CollectDeps, sourceId: number, maxPages: number): Promise<CollectOutcome> {
  const source = await getSource(deps.db, sourceId);
  if (!source) throw new UnrecoverableError(`source ${sourceId} does not exist`);
  const collector = getCollector(source.kind);
  if (!collector) throw new UnrecoverableError(`source ${source.name}: no collector of kind "${source.kind}"`);
  const runId = await startRun(deps.db, sourceId);
  const totals: CollectOutcome = { runId, pages: 0, ...emptyCounts() };
  const log = deps.logger.child({ source: source.name, runId });
  const db = deps.db;
  try {
    const parsedConfig = collector.configSchema.safeParse(source.config);
    const prefilterConfig = prefilterSchema.safeParse((source.config as { prefilter?: unknown }).prefilter);
    if (!parsedConfig.success || !prefilterConfig.success) {
      const issues = [...(parsedConfig.error?.issues ?? []), ...(prefilterConfig.error?.issues.map((i) => ({ ...i, path: ['prefilter', ...i.path] })) ?? [])];
      throw new SourceError('other', `invalid config: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    let config = parsedConfig.data;
    const prefilter = (prefilterConfig.data.enabled ?? collector.prefilterByDefault) ? createPrefilter(prefilterConfig.data) : null;
    const ctx: FetchContext = { http: deps.http, secret: (name) => deps.secrets[name], now: () => new Date(), state: deps.collectorState ?? new Map() };
    let cursor = source.cursor ?? null;
    while (totals.pages < maxPages) {
      let page;
      try {
        page = await collector.fetchPage(config, cursor, ctx);
      } catch (error) {
        const gap = transientGap(error);
        if (!gap) throw error;
        totals.gap = gap;
        log.warn({ gap }, 'collection stopped early; the next run resumes from the saved cursor');
        break;
      }
      totals.pages++;
      if (page.gap) totals.gap = page.gap;
      const counts = emptyCounts();
      counts.fetched = page.items.length;
      // Left out inside fetchPage: still fetched, so fetched = inserted + duplicates + filtered + failed holds.
      for (const [reason, n] of Object.entries(page.prefiltered ?? {})) {
        counts.fetched += n;
        counts.filtered += n;
        counts.filteredBy[reason] = (counts.filteredBy[reason] ?? 0) + n;
      }
      const rows: NewPost[] = [];
      for (const raw of page.items) {
        let post: CollectedPost;
        try {
          post = collector.map(raw, config);
        } catch (error) {
          if (!(error instanceof MalformedItemError)) throw error;
          counts.failed++;
          log.warn({ where: error.where, reason: error.message }, 'skipped malformed item');
          continue;
        }
        const verdict = prefilter?.(post) ?? { keep: true };
        if (!verdict.keep) {
          counts.filtered++;
          counts.filteredBy[verdict.reason] = (counts.filteredBy[verdict.reason] ?? 0) + 1;
          continue;
        }
        rows.push(toNewPost(sourceId, collector.platform, deps.pseudonymKey, post));
      }
      const insertedIds = await db.transaction(async (txn) => {
        const tx = txn as unknown as Db;
        const result = await insertPosts(tx, rows);
        counts.inserted = result.insertedIds.length;
        counts.duplicates = result.duplicates;
        counts.deleted = await markDeletedAtSource(tx, sourceId, page.deletedExternalIds ?? []);
        await addRunCounts(tx, runId, counts, page.nextCursor);
        await saveCursor(tx, sourceId, page.nextCursor);
        if (page.configPatch) await patchSourceConfig(tx, sourceId, page.configPatch as Record<string, unknown>);
        if (page.disable) await disableSource(tx, sourceId, page.disable);
        return result.insertedIds;
      });
      for (const key of ['fetched', 'inserted', 'duplicates', 'filtered', 'failed', 'deleted'] as const) totals[key] += counts[key];
      for (const [reason, n] of Object.entries(counts.filteredBy)) totals.filteredBy[reason] = (totals.filteredBy[reason] ?? 0) + n;
      await enqueueClassification(deps.queue, insertedIds, deps.classifyBatchSize, 'collect');
      if (page.configPatch) config = { ...config, ...page.configPatch };
      cursor = page.nextCursor;
      if (page.disable) {
        totals.disabled = page.disable;
        log.warn({ reason: page.disable }, 'source disabled');
        break;
      }
      if (page.done) break;
    }
    await finishRun(db, runId, sourceId, totals.gap ? { gap: { ...totals.gap } } : {});
    log.info({ fetched: totals.fetched, inserted: totals.inserted, duplicates: totals.duplicates, filtered: totals.filtered, failed: totals.failed }, 'collection finished');
    return totals;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finishRun(db, runId, sourceId, { error: message, ...(error instanceof SourceError ? { gap: { reason: error.reason, detail: message } } : {}) });
    // A source problem needs a person, not a retry.
    if (error instanceof SourceError) throw new UnrecoverableError(`source ${source.name}: ${message}`);
    throw error;
  }
}
