import { DEFAULT_LANGUAGES } from '../prefilter.js';
import type { Collector } from '../types.js';
import { blueskyConfigSchema, type BlueskyConfig } from './config.js';
import { fetchJetstreamPage, type JetstreamCursor } from './jetstream.js';
import { mapBlueskyRaw, type BlueskyRaw } from './map.js';
import { fetchSearchPage, type SearchCursor } from './search.js';

export type BlueskyCursor = JetstreamCursor | SearchCursor;

/**
 * Bluesky in two modes: `jetstream` reads the live firehose of new posts (filtered while reading)
 * and `search` back-fills through app.bsky.feed.searchPosts. Both map to the same external id
 * (the post's at:// URI), so a post seen by both is stored once.
 */
export const blueskyCollector: Collector<BlueskyConfig, BlueskyCursor, BlueskyRaw> = {
  kind: 'bluesky',
  platform: 'bluesky',
  configSchema: blueskyConfigSchema,
  prefilterByDefault: true,
  async fetchPage(config, cursor, ctx) {
    // A cursor from the other mode (the source's mode was changed) means starting afresh.
    if (config.mode === 'jetstream') return fetchJetstreamPage(config, cursor?.mode === 'jetstream' ? cursor : null, ctx);
    return fetchSearchPage(config, cursor?.mode === 'search' ? cursor : null, ctx);
  },
  map: (raw, config) => mapBlueskyRaw(raw, config.prefilter.languages ?? DEFAULT_LANGUAGES),
};
