import { blueskyCollector } from './bluesky/index.js';
import { csvCollector } from './csv/index.js';
import { jsonlCollector } from './jsonl/index.js';
import { mastodonCollector } from './mastodon/index.js';
import { redditCollector } from './reddit/index.js';
import { rssCollector } from './rss/index.js';
import type { AnyCollector } from './types.js';

/** Every collector the system knows, by kind. Adding a source = one folder plus one line here. */
export const COLLECTORS: readonly AnyCollector[] = [
  jsonlCollector,
  csvCollector,
  mastodonCollector,
  blueskyCollector,
  redditCollector,
  rssCollector,
];

export function getCollector(kind: string): AnyCollector | undefined {
  return COLLECTORS.find((c) => c.kind === kind);
}
