import { z } from 'zod';
import { HttpError, transientGap } from '../http.js';
import { requireSecret, SourceError, type CollectionGap, type Collector, type FetchContext, type Page } from '../types.js';
import { fetchStatuses, type FeedSpec } from './client.js';
import { mapStatus, skipReason, type MastodonItem } from './map.js';
import { stepFeed, type FeedCursor } from './paging.js';

export const DEFAULT_HASHTAGS = ['politie', 'agent', 'klacht', '112', 'politiegeweld', 'etnischprofileren'];

const hashtag = z.string().trim().transform((t) => t.replace(/^#/, '').toLowerCase()).pipe(z.string().regex(/^[^\s/?#&]+$/, 'a hashtag without spaces or URL characters'));

const instanceSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://mastodon.social').transform((u) => u.replace(/\/+$/, '')),
  /** Domain of the instance's own accounts when it differs from the web host (LOCAL_DOMAIN vs WEB_DOMAIN). */
  domain: z.string().min(1).optional(),
  hashtags: z.array(hashtag).default(DEFAULT_HASHTAGS),
  /** Full-text search needs a login and an instance with search enabled; it only finds opted-in posts. */
  searchQueries: z.array(z.string().trim().min(1)).default([]),
  /** Name of the secret holding an access token (KS_SECRET_<NAME>); never the token itself. */
  accessTokenSecret: z.string().min(1).optional(),
}).refine((i) => i.hashtags.length + i.searchQueries.length > 0, 'an instance needs hashtags or searchQueries')
  .refine((i) => i.searchQueries.length === 0 || i.accessTokenSecret, 'searchQueries need accessTokenSecret: search requires login');

const configSchema = z.object({
  instances: z.array(instanceSchema).min(1),
  /**
   * Tags per timeline request (the first in the path, the rest as any[]; Mastodon uses at most 4).
   * Mastodon answers nothing at all when the first tag is unknown on that instance, so list the
   * common tags first, or use 1 to ask per tag.
   */
  tagsPerRequest: z.number().int().min(1).max(4).default(4),
  /** How far a first run back-fills. */
  lookbackHours: z.number().positive().default(72),
  maxBackfillPages: z.number().int().min(1).default(25),
  pageSize: z.number().int().min(1).max(40).default(40),
});
export type MastodonConfig = z.infer<typeof configSchema>;

/**
 * `feeds`: paging state per instance+feed. `round`: the feeds still to visit in this pass over
 * all of them, how many pages succeeded, and the problems met, so one failing instance is
 * reported and skipped while the others are still collected.
 */
export interface MastodonCursor {
  feeds: Record<string, FeedCursor>;
  round: { pending: string[]; ok: number; problems: string[] };
}

export function feedsOf(config: MastodonConfig): FeedSpec[] {
  const feeds = new Map<string, FeedSpec>();
  for (const inst of config.instances) {
    const host = new URL(inst.baseUrl).host;
    const common = { baseUrl: inst.baseUrl, domain: (inst.domain ?? host).toLowerCase(), accessTokenSecret: inst.accessTokenSecret };
    const tags = [...new Set(inst.hashtags)];
    for (let i = 0; i < tags.length; i += config.tagsPerRequest) {
      const group = tags.slice(i, i + config.tagsPerRequest);
      const key = `${inst.baseUrl} tags:${group.join(',')}`;
      feeds.set(key, { ...common, key, label: `${host} ${group.map((t) => `#${t}`).join(' ')}`, kind: 'tags', tags: group, query: '' });
    }
    for (const query of inst.searchQueries) {
      const key = `${inst.baseUrl} search:${query}`;
      feeds.set(key, { ...common, key, label: `${host} search "${query}"`, kind: 'search', tags: [], query });
    }
  }
  return [...feeds.values()];
}

interface Failure { reason: CollectionGap['reason']; detail: string; transient: boolean }

/** Per-feed problems the other feeds should not pay for; anything else is a bug and propagates. */
function failureOf(error: unknown): Failure | null {
  if (error instanceof SourceError) return { reason: error.reason, detail: error.message, transient: false };
  const gap = transientGap(error);
  if (gap) return { ...gap, transient: true };
  if (error instanceof HttpError) return { reason: 'other', detail: error.message, transient: false };
  return null;
}

function tokenFor(feed: FeedSpec, ctx: FetchContext): string | undefined {
  if (!feed.accessTokenSecret) return undefined;
  // Search needs the token; a tag timeline works without one, so a missing token is fine there.
  return feed.kind === 'search' ? requireSecret(ctx, feed.accessTokenSecret) : ctx.secret(feed.accessTokenSecret);
}

type MastodonPage = Page<MastodonItem, MastodonCursor, MastodonConfig>;

async function fetchMastodonPage(config: MastodonConfig, cursor: MastodonCursor | null, ctx: FetchContext): Promise<MastodonPage> {
  const feeds = feedsOf(config);
  const byKey = new Map(feeds.map((f) => [f.key, f]));
  // Feeds no longer configured are dropped from the cursor.
  const states: Record<string, FeedCursor> = {};
  for (const f of feeds) states[f.key] = cursor?.feeds?.[f.key] ?? { newestId: null, sweep: null };
  const resumed = (cursor?.round?.pending ?? []).filter((k) => byKey.has(k));
  let round = resumed.length > 0 ? { ...cursor!.round, pending: resumed } : { pending: feeds.map((f) => f.key), ok: 0, problems: [] };
  const options = {
    pageSize: config.pageSize,
    maxBackfillPages: config.maxBackfillPages,
    lookbackStart: new Date(ctx.now().getTime() - config.lookbackHours * 3_600_000).toISOString(),
  };
  const failures: { failure: Failure; error: unknown }[] = [];
  const gapFor = (reason: CollectionGap['reason'], problems: string[]): CollectionGap => ({ reason, detail: problems.join('; ') });

  while (round.pending.length > 0) {
    const feed = byKey.get(round.pending[0]!)!;
    try {
      const token = tokenFor(feed, ctx);
      const step = await stepFeed((params) => fetchStatuses(ctx.http, feed, token, { ...params, limit: config.pageSize }), feed.kind === 'tags', states[feed.key]!, options);
      states[feed.key] = step.cursor;
      const problems = step.gap ? [...round.problems, `${feed.label}: ${step.gap.detail}`] : round.problems;
      const next = { pending: step.finished ? round.pending.slice(1) : round.pending, ok: round.ok + 1, problems };
      const reason = step.gap?.reason ?? failures.at(-1)?.failure.reason;
      const items: MastodonItem[] = [];
      const prefiltered: Record<string, number> = {};
      for (const status of step.statuses) {
        const skip = skipReason(status);
        if (skip) prefiltered[skip] = (prefiltered[skip] ?? 0) + 1;
        else items.push({ instance: feed.domain, status });
      }
      return {
        items,
        ...(Object.keys(prefiltered).length ? { prefiltered } : {}),
        nextCursor: { feeds: states, round: next },
        done: next.pending.length === 0,
        ...(reason ? { gap: gapFor(reason, problems) } : {}),
      };
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) throw error;
      failures.push({ failure, error });
      round = { ...round, pending: round.pending.slice(1), problems: [...round.problems, `${feed.label}: ${failure.detail}`] };
    }
  }
  const last = failures.at(-1)?.failure;
  if (!last) return { items: [], nextCursor: { feeds: states, round }, done: true };
  if (round.ok === 0) {
    // Nothing in this round could be fetched: a passing outage is the collect service's gap to record, anything else needs a person.
    const transient = failures.findLast((f) => f.failure.transient);
    if (transient) throw transient.error;
    throw new SourceError(failures[0]!.failure.reason, round.problems.join('; '));
  }
  return { items: [], nextCursor: { feeds: states, round }, done: true, gap: gapFor(last.reason, round.problems) };
}

export const mastodonCollector: Collector<MastodonConfig, MastodonCursor, MastodonItem> = {
  kind: 'mastodon',
  platform: 'mastodon',
  configSchema,
  prefilterByDefault: true,
  fetchPage: fetchMastodonPage,
  map: (raw) => mapStatus(raw),
};
