import type { CollectionGap } from '../types.js';
import type { RedditApi } from './client.js';
import type { RedditThing } from './map.js';

/** One listing the collector follows: a subreddit's new posts, its new comments, or one search. */
export interface ListingSpec {
  /** Stable name used as the key of this listing's position in the cursor. */
  key: string;
  subreddit: string;
  path: string;
  params: Record<string, string>;
}

export function listingsFor(config: { subreddits: string[]; comments: boolean; queries: string[] }): ListingSpec[] {
  const specs: ListingSpec[] = [];
  for (const subreddit of config.subreddits) {
    const base = `/r/${subreddit}`;
    specs.push({ key: `r/${subreddit}/new`, subreddit, path: `${base}/new`, params: { limit: '100', raw_json: '1' } });
    if (config.comments) specs.push({ key: `r/${subreddit}/comments`, subreddit, path: `${base}/comments`, params: { limit: '100', raw_json: '1' } });
    for (const q of config.queries) {
      specs.push({ key: `r/${subreddit}/search?q=${q}`, subreddit, path: `${base}/search`, params: { q, restrict_sr: '1', sort: 'new', limit: '100', raw_json: '1' } });
    }
  }
  return specs;
}

/**
 * Orders two fullnames of the same type ("t3_1abc"): Reddit ids are base36 counters, so a longer id
 * is newer and equal-length ids compare as strings ('0'-'9' sort before 'a'-'z').
 */
export function compareFullnames(a: string, b: string): number | null {
  const [ta, ia = ''] = a.split('_', 2);
  const [tb, ib = ''] = b.split('_', 2);
  if (ta !== tb) return null;
  return ia.length - ib.length || (ia < ib ? -1 : ia > ib ? 1 : 0);
}

const isNewer = (a: string, b: string) => (compareFullnames(a, b) ?? 0) > 0;
const isAtOrBefore = (a: string, b: string) => (compareFullnames(a, b) ?? 1) <= 0;

export type WalkResult =
  | { kind: 'ok'; things: RedditThing[]; newest: string | null; gap?: CollectionGap }
  | { kind: 'unavailable'; status: number; detail: string }
  | { kind: 'malformed'; detail: string };

/**
 * Walks a listing from its newest item back via `after` until it reaches what the previous run
 * saw (`seen`) or `maxPages`, and returns the new things oldest first. Nothing is returned from a
 * walk that fails part way: the listing's position stays where it was and the next run repeats it.
 * (Paging forward with `before` is not used: it returns nothing once the anchor post is removed.)
 */
export async function walkListing(api: RedditApi, spec: ListingSpec, seen: string | null, maxPages: number): Promise<WalkResult> {
  const things: RedditThing[] = [];
  const names = new Set<string>();
  let newest: string | null = null;
  let after: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const res = await api.listing(spec.path, after ? { ...spec.params, after } : spec.params);
    if (res.kind !== 'ok') return res;
    const { children } = res.listing.data;
    for (const child of children) {
      const name = typeof child.data.name === 'string' ? child.data.name : null;
      if (name && (newest === null || isNewer(name, newest))) newest = name;
      if (name && seen && isAtOrBefore(name, seen)) return done(things, newest, seen);
      if (name && names.has(name)) continue;
      if (name) names.add(name);
      things.push(child);
    }
    after = res.listing.data.after;
    if (!after || children.length === 0) return done(things, newest, seen);
  }
  const gap: CollectionGap | undefined = seen
    ? { reason: 'lookback_exceeded', detail: `${spec.key}: more than ${maxPages} pages of new items since ${seen}; older ones were not fetched` }
    : undefined;
  return { ...done(things, newest, seen), ...(gap ? { gap } : {}) };
}

function done(things: RedditThing[], newest: string | null, seen: string | null): { kind: 'ok'; things: RedditThing[]; newest: string | null } {
  const latest = newest && (!seen || (compareFullnames(newest, seen) ?? 1) > 0) ? newest : seen;
  return { kind: 'ok', things: things.reverse(), newest: latest };
}
