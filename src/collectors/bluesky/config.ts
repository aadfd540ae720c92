import { z } from 'zod';
import { prefilterSchema } from '../prefilter.js';

export const DEFAULT_JETSTREAM_URL = 'wss://jetstream2.us-east.bsky.network/subscribe';
export const DEFAULT_SERVICE = 'https://bsky.social';

/** Live firehose of new posts, filtered while reading: only matching posts ever leave the collector. */
export const jetstreamConfigSchema = z.object({
  mode: z.literal('jetstream'),
  jetstreamUrl: z.url({ protocol: /^wss?$/ }).default(DEFAULT_JETSTREAM_URL),
  /** Frames read per page (every post on the network counts, not only kept ones). */
  maxEvents: z.number().int().min(1).max(100_000).default(5000),
  maxSeconds: z.number().positive().max(300).default(20),
  /** Reconnects in a row without receiving anything before the page gives up with an outage gap. */
  reconnectAttempts: z.number().int().min(0).max(10).default(3),
  reconnectBackoffMs: z.number().int().min(0).max(60_000).default(1000),
  /**
   * Jetstream keeps a limited replay window; a cursor older than that silently starts at the
   * oldest event it still has. A first event this much later than the cursor is recorded as a gap.
   */
  maxCursorJumpSeconds: z.number().positive().default(600),
  prefilter: prefilterSchema,
}).refine((c) => c.prefilter.enabled !== false, {
  message: 'jetstream mode always filters: the whole firehose must never be stored',
  path: ['prefilter', 'enabled'],
});

/** Back-fill through app.bsky.feed.searchPosts with an app-password session. */
export const searchConfigSchema = z.object({
  mode: z.literal('search'),
  /** The account's PDS (or entryway); it proxies app.bsky calls to the AppView. */
  service: z.url({ protocol: /^https?$/ }).default(DEFAULT_SERVICE),
  identifier: z.string().min(1),
  /** NAME of the secret holding the app password (KS_SECRET_<NAME>), never the password. */
  appPasswordSecret: z.string().min(1),
  queries: z.array(z.string().min(1)).min(1),
  /** One search per query and language; [] searches all languages. */
  searchLanguages: z.array(z.string().min(2).max(8)).default(['nl']),
  lookbackDays: z.number().positive().max(3650).default(7),
  pageSize: z.number().int().min(1).max(100).default(100),
  prefilter: prefilterSchema,
});

export const blueskyConfigSchema = z.discriminatedUnion('mode', [jetstreamConfigSchema, searchConfigSchema]);

export type JetstreamConfig = z.infer<typeof jetstreamConfigSchema>;
export type SearchConfig = z.infer<typeof searchConfigSchema>;
export type BlueskyConfig = z.infer<typeof blueskyConfigSchema>;
