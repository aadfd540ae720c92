import { z } from 'zod';
import { SourceError, type CollectionGap, type Collector, type Page } from '../types.js';
import { RedditApi } from './client.js';
import { listingsFor, walkListing } from './listings.js';
import { mapRedditThing, removedAtSource, type RedditThing } from './map.js';

const baseUrl = z.url().transform((u) => u.replace(/\/+$/, ''));
const subredditName = z.string().trim().transform((s) => s.replace(/^\/?r\//i, '')).pipe(z.string().regex(/^[A-Za-z0-9_]{2,21}$/, 'not a subreddit name'));

const configSchema = z.object({
  apiBase: baseUrl.default('https://oauth.reddit.com'),
  authBase: baseUrl.default('https://www.reddit.com'),
  /** Names of the secrets holding the app's client id and secret (KS_SECRET_<NAME>), never the values. */
  clientIdSecret: z.string().min(1).default('REDDIT_CLIENT_ID'),
  clientSecretSecret: z.string().min(1).default('REDDIT_CLIENT_SECRET'),
  /** The Reddit account responsible for this app, named in the User-Agent as Reddit's API rules require. */
  userAgentContact: z.string().trim().transform((s) => s.replace(/^\/?u\//i, '')).pipe(z.string().regex(/^[A-Za-z0-9_-]{3,20}$/, 'not a Reddit username')),
  appId: z.string().regex(/^[A-Za-z0-9._-]+$/).default('klachtsignaal'),
  appVersion: z.string().regex(/^[A-Za-z0-9._+-]+$/).default('0.1.0'),
  subreddits: z.array(subredditName).min(1).default(['thenetherlands', 'Netherlands']),
  comments: z.boolean().default(true),
  /** Searched within each subreddit (restrict_sr), newest first. */
  queries: z.array(z.string().trim().min(1).max(512)).default(['politie', 'agent', 'police']),
  /** Pages of 100 walked back per listing and run; Reddit itself stops listings at about 1000 items. */
  maxPagesPerListing: z.number().int().min(1).max(10).default(10),
});
export type RedditConfig = z.infer<typeof configSchema>;

/** Which listing is next in this round, and per listing the newest fullname already returned. */
export interface RedditCursor {
  position: number;
  newest: Record<string, string>;
}

interface Skipped { key: string; status?: number; detail: string }

function gapFor(skipped: Skipped[], walkGap?: CollectionGap): CollectionGap | undefined {
  if (skipped.length === 0) return walkGap;
  const reason: CollectionGap['reason'] = skipped.some((s) => s.status === undefined) ? 'other'
    : skipped.every((s) => s.status !== 403) ? 'not_found' : 'auth';
  const detail = [walkGap?.detail, ...skipped.map((s) => s.detail)].filter(Boolean).join('; ');
  return { reason: walkGap?.reason ?? reason, detail };
}

/**
 * Reddit through its OAuth API: per subreddit the new posts, the new comments and the configured
 * searches. Each page is one listing; a round over all listings ends with `done`. A private or
 * banned subreddit is skipped with a gap; only when every listing is closed is that a SourceError.
 */
export const redditCollector: Collector<RedditConfig, RedditCursor, RedditThing> = {
  kind: 'reddit',
  platform: 'reddit',
  configSchema,
  prefilterByDefault: true,
  async fetchPage(config, cursor, ctx): Promise<Page<RedditThing, RedditCursor, RedditConfig>> {
    const listings = listingsFor(config);
    const keys = new Set(listings.map((l) => l.key));
    // Listings no longer configured drop out of the cursor.
    const newest = Object.fromEntries(Object.entries(cursor?.newest ?? {}).filter(([key]) => keys.has(key)));
    const start = cursor && cursor.position > 0 && cursor.position < listings.length ? cursor.position : 0;
    const api = new RedditApi(config, ctx);
    const skipped: Skipped[] = [];
    const closedSubreddits = new Map<string, Skipped>();
    for (let i = start; i < listings.length; i++) {
      const spec = listings[i]!;
      const closed = closedSubreddits.get(spec.subreddit.toLowerCase());
      if (closed) {
        skipped.push({ ...closed, key: spec.key, detail: `${spec.key} skipped (r/${spec.subreddit} answered ${closed.status})` });
        continue;
      }
      const result = await walkListing(api, spec, newest[spec.key] ?? null, config.maxPagesPerListing);
      if (result.kind === 'unavailable') {
        const entry = { key: spec.key, status: result.status, detail: result.detail };
        skipped.push(entry);
        closedSubreddits.set(spec.subreddit.toLowerCase(), entry);
        continue;
      }
      if (result.kind === 'malformed') {
        skipped.push({ key: spec.key, detail: result.detail });
        continue;
      }
      const last = i + 1 >= listings.length;
      const items: RedditThing[] = [];
      const deleted: string[] = [];
      for (const thing of result.things) {
        const gone = removedAtSource(thing);
        if (gone) deleted.push(gone);
        else items.push(thing);
      }
      const gap = gapFor(skipped, result.gap);
      return {
        items,
        nextCursor: { position: last ? 0 : i + 1, newest: result.newest ? { ...newest, [spec.key]: result.newest } : newest },
        done: last,
        ...(gap ? { gap } : {}),
        ...(deleted.length > 0 ? { deletedExternalIds: deleted } : {}),
      };
    }
    const allClosed = start === 0 && skipped.length === listings.length && skipped.every((s) => s.status !== undefined);
    if (allClosed) {
      const reason = skipped.every((s) => s.status !== 403) ? 'not_found' : 'auth';
      throw new SourceError(reason, `no configured subreddit can be read: ${skipped.map((s) => s.detail).join('; ')}`);
    }
    const gap = gapFor(skipped);
    return { items: [], nextCursor: { position: 0, newest }, done: true, ...(gap ? { gap } : {}) };
  },
  map: (raw) => mapRedditThing(raw),
};
