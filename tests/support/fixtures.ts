import type { Db } from '../../src/db/client.js';
import { insertPosts } from '../../src/db/repos/posts.repo.js';
import { ensureSource } from '../../src/db/repos/sources.repo.js';
import { createKeywordBaseline } from '../../src/classifier/keyword-baseline.js';
import { pino } from 'pino';
import { HttpClient } from '../../src/collectors/http.js';
import type { FetchContext } from '../../src/collectors/types.js';

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
