import { z } from 'zod';
import type { CollectionGap, FetchContext, Page } from '../types.js';
import { xrpcQuery } from './client.js';
import type { SearchConfig } from './config.js';
import type { BlueskyRaw } from './map.js';

/**
 * Per search (query + language), a pass pages from the newest post back until it reaches posts
 * stored by an earlier pass (`known`), the lookback limit, or the end of the results.
 * `apiCursor` resumes a pass cut short by a crash or rate limit; `passNewest` becomes `known`
 * only when the pass completes, so an interrupted pass never hides the posts it did not reach.
 */
export interface SearchProgress { apiCursor: string | null; passNewest: string | null; known: string | null }
export interface SearchCursor { mode: 'search'; current: string | null; searches: Record<string, SearchProgress> }

export interface SearchTarget { key: string; q: string; lang: string | null }

export function searchTargets(config: SearchConfig): SearchTarget[] {
  const langs = config.searchLanguages.length ? config.searchLanguages : [null];
  return config.queries.flatMap((q) => langs.map((lang) => ({ key: `${lang ?? '*'}:${q}`, q, lang })));
}

const responseSchema = z.object({ cursor: z.string().optional(), posts: z.array(z.unknown()) });

const DAY_MS = 86_400_000;

/** indexedAt as milliseconds, or null when missing or not a time (map will reject such a post). */
function indexedAt(post: unknown): { iso: string; ms: number } | null {
  const iso = (post as { indexedAt?: unknown } | null)?.indexedAt;
  if (typeof iso !== 'string') return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : { iso, ms };
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : Date.parse(b) > Date.parse(a) ? b : a);

export async function fetchSearchPage(config: SearchConfig, cursor: SearchCursor | null, ctx: FetchContext): Promise<Page<BlueskyRaw, SearchCursor>> {
  const targets = searchTargets(config);
  const index = Math.max(0, targets.findIndex((t) => t.key === cursor?.current));
  const target = targets[index]!;
  const progress = cursor?.searches[target.key] ?? { apiCursor: null, passNewest: null, known: null };

  const response = responseSchema.safeParse(await xrpcQuery(config, ctx, 'app.bsky.feed.searchPosts', {
    q: target.q, lang: target.lang, limit: config.pageSize, sort: 'latest', cursor: progress.apiCursor,
  }));
  if (!response.success) throw new Error(`searchPosts answered an unexpected shape: ${response.error.issues[0]?.message}`);
  const { posts, cursor: apiCursor } = response.data;

  const known = progress.known === null ? -Infinity : Date.parse(progress.known);
  const boundary = ctx.now().getTime() - config.lookbackDays * DAY_MS;
  const items: BlueskyRaw[] = [];
  let newest = progress.passNewest;
  let reachedKnown = false;
  let beyondLookback = 0;
  for (const post of posts) {
    const at = indexedAt(post);
    if (at === null || at.ms > Math.max(known, boundary)) {
      items.push({ via: 'search', post });
      if (at) newest = later(newest, at.iso);
    } else if (at.ms <= known) {
      reachedKnown = true;
    } else {
      beyondLookback++;
    }
  }

  const passOver = reachedKnown || beyondLookback > 0 || posts.length === 0 || !apiCursor;
  const searches: Record<string, SearchProgress> = {};
  for (const t of targets) if (cursor?.searches[t.key]) searches[t.key] = cursor.searches[t.key]!;
  searches[target.key] = passOver
    ? { apiCursor: null, passNewest: null, known: later(progress.known, newest) }
    : { apiCursor: apiCursor ?? null, passNewest: newest, known: progress.known };
  const last = index === targets.length - 1;
  const gap: CollectionGap | undefined = beyondLookback > 0
    ? { reason: 'lookback_exceeded', detail: `search "${target.q}"${target.lang ? ` (${target.lang})` : ''} has older posts than the ${config.lookbackDays}-day back-fill limit; they were not collected` }
    : undefined;
  return {
    items,
    nextCursor: { mode: 'search', current: passOver ? (last ? null : targets[index + 1]!.key) : target.key, searches },
    done: passOver && last,
    ...(gap ? { gap } : {}),
  };
}
