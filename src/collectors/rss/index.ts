import { z } from 'zod';
import type { Collector } from '../types.js';
import { fetchFeed } from './client.js';
import { mapFeedItem } from './map.js';
import { parseFeed, type FeedItem } from './parse.js';

const configSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** For people: the feed's name in lists and reports. */
  name: z.string().min(1).optional(),
});
export type RssConfig = z.infer<typeof configSchema>;

/** HTTP validators of the last 200 answer, and the URL they belong to. */
export interface RssCursor {
  url: string;
  etag: string | null;
  lastModified: string | null;
}

/**
 * One source = one feed. Each run is a single conditional GET: 304 means nothing new, a 200
 * carries the whole current feed and the database drops the items it already has. Items are
 * returned in feed order; a feed has no paging.
 */
export const rssCollector: Collector<RssConfig, RssCursor, FeedItem> = {
  kind: 'rss',
  platform: 'web',
  configSchema,
  prefilterByDefault: true,
  async fetchPage(config, cursor, ctx) {
    // Validators from another URL (the config was edited) say nothing about this one.
    const validators = cursor && cursor.url === config.url ? cursor : null;
    const res = await fetchFeed(ctx.http, config.url, validators);
    const url = res.movedTo ?? config.url;
    const moved = res.movedTo && res.movedTo !== config.url ? { configPatch: { url: res.movedTo } } : {};
    const unchanged: RssCursor = { url, etag: validators?.etag ?? null, lastModified: validators?.lastModified ?? null };
    if (res.status === 'not_modified') return { items: [], nextCursor: unchanged, done: true, ...moved };
    if (res.status === 'gone') {
      return { items: [], nextCursor: unchanged, done: true, ...moved, disable: `feed is gone: ${res.finalUrl} answered 410 Gone; remove the source or set a new URL` };
    }
    const feed = parseFeed(res.body, res.finalUrl);
    return { items: feed.items, nextCursor: { url, ...res.validators }, done: true, ...moved };
  },
  map: (raw) => mapFeedItem(raw),
};
