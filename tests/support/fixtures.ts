import type { Db } from '../../src/db/client.js';
import { insertPosts } from '../../src/db/repos/posts.repo.js';
import { ensureSource } from '../../src/db/repos/sources.repo.js';
import { createKeywordBaseline } from '../../src/classifier/keyword-baseline.js';
import { pino } from 'pino';
import { HttpClient } from '../../src/collectors/http.js';
import type { Collector, FetchContext, Page } from '../../src/collectors/types.js';

export const silentLogger = pino({ level: 'silent' });

/** The rule baseline without the place table: keeps these tests about the pipeline, not geography. */
export const baselineClassifier = () => createKeywordBaseline(() => ({ unit: 'unknown', confidence: 1 }));

export const GRIEVANCE = 'Gisteren sloeg een agent mij zonder reden met een wapenstok, schandalig.';
export const NOT_GRIEVANCE = 'Mijn fiets is alweer gestolen, die dieven zijn de ergste.';

export async function seedPosts(db: Db, texts: string[], sourceName = 'seed'): Promise<number[]> {
  const source = await ensureSource(db, { kind: 'jsonl', name: sourceName, config: { path: '/dev/null' } });
  const { insertedIds } = await insertPosts(db, texts.map((text, i) => ({ sourceId: source.id, externalId: `${sourceName}-${i}`, text, contentHash: `${sourceName}-${i}` })));
  return insertedIds;
}

/** The context collectors get in production, with the real shared HTTP client. */
export function fetchContext(secrets: Record<string, string> = {}): FetchContext {
  return { http: new HttpClient({ baseBackoffMs: 20, maxWaitMs: 5_000 }), secret: (name) => secrets[name], now: () => new Date(), state: new Map() };
}

/** Fetches pages from a cursor until the collector says it is done, as the collect service does; at most maxPages. */
export async function pageUntilDone<Config, Cursor, Raw>(collector: Collector<Config, Cursor, Raw>, config: Config, cursor: Cursor | null, ctx: FetchContext, maxPages: number) {
  const pages: Page<Raw, Cursor, Config>[] = [];
  for (let i = 0; i < maxPages; i++) {
    const page = await collector.fetchPage(config, cursor, ctx);
    pages.push(page);
    cursor = page.nextCursor;
    if (page.done) break;
  }
  return { pages, cursor: cursor!, items: pages.flatMap((p) => p.items) };
}
