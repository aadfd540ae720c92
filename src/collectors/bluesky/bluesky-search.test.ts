import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchContext, pageUntilDone } from '../../../tests/support/fixtures.js';
import { fixture, inOrder, startReplayServer, type RecordedRequest, type ReplayServer, type ReplayResponse } from '../../../tests/support/replay-server.js';
import { HttpClient, RateLimitedError } from '../http.js';
import { MalformedItemError, SourceError, type FetchContext } from '../types.js';
import { blueskyCollector, type BlueskyCursor } from './index.js';
import type { BlueskyRaw } from './map.js';
import type { SearchCursor } from './search.js';

/** Search back-fill through the real shared HttpClient against recorded XRPC answers. */
const NOW = new Date('2026-11-23T08:00:00Z');
const SECRET = 'BSKY_TEST_APP_PASSWORD';
const PASSWORD = 'abcd-efgh-ijkl-mnop';
const json = (name: string) => JSON.parse(fixture('bluesky', name)) as Record<string, unknown>;
const session = json('createSession.json') as { accessJwt: string; refreshJwt: string };
const refreshed = json('refreshSession.json') as { accessJwt: string; refreshJwt: string };
const latest = json('searchPosts-latest.json');
const older = json('searchPosts-older.json');
const SEARCH = '/xrpc/app.bsky.feed.searchPosts';
const CREATE = '/xrpc/com.atproto.server.createSession';
const REFRESH = '/xrpc/com.atproto.server.refreshSession';

let server: ReplayServer;
let ctx: FetchContext;
beforeEach(async () => {
  server = await startReplayServer();
  ctx = { ...fetchContext({ [SECRET]: PASSWORD }), now: () => NOW };
  server.route('POST', CREATE, { body: session });
  server.route('POST', REFRESH, { body: refreshed });
});
afterEach(async () => { await ctx.http.close(); await server.close(); });

function config(overrides: Record<string, unknown> = {}) {
  return blueskyCollector.configSchema.parse({
    mode: 'search', service: server.url, identifier: 'meldpunt-test.bsky.social', appPasswordSecret: SECRET,
    queries: ['politie'], lookbackDays: 30, ...overrides,
  });
}

/** Answers like the AppView: the newest page without a cursor, the older page for cursor=100. */
const byCursor = (first: unknown = latest) => (req: RecordedRequest): ReplayResponse => ({ body: req.query.get('cursor') === '100' ? older : first });
const calls = (path: string) => server.requests.filter((r) => r.path === path);
const bearer = (r: RecordedRequest) => r.headers.authorization;

function externalIds(items: BlueskyRaw[], cfg: ReturnType<typeof config>): { ids: string[]; malformed: number } {
  const ids: string[] = [];
  let malformed = 0;
  for (const item of items) {
    try { ids.push(blueskyCollector.map(item, cfg).externalId); } catch (e) { if (!(e instanceof MalformedItemError)) throw e; malformed++; }
  }
  return { ids, malformed };
}
const uris = (page: Record<string, unknown>) => (page.posts as { uri: string }[]).map((p) => p.uri);

async function run(cfg: ReturnType<typeof config>, cursor: BlueskyCursor | null) {
  const { pages, cursor: last } = await pageUntilDone(blueskyCollector, cfg, cursor, ctx, 10);
  return { pages, cursor: last as SearchCursor };
}

describe('bluesky search', () => {
  it('logs in once, pages back until the API runs out, and a later run stops at known posts', async () => {
    server.route('GET', SEARCH, byCursor());
    const cfg = config();
    const first = await run(cfg, null);
    expect(first.pages).toHaveLength(2);
    expect(first.pages.every((p) => p.gap === undefined)).toBe(true);
    expect(externalIds(first.pages.flatMap((p) => p.items), cfg)).toEqual({ ids: [...uris(latest), ...uris(older).filter((_, i) => i !== 1)], malformed: 1 });
    expect(JSON.parse(calls(CREATE)[0]!.body)).toEqual({ identifier: 'meldpunt-test.bsky.social', password: PASSWORD });
    const searches = calls(SEARCH);
    expect(searches.map((r) => Object.fromEntries(r.query))).toEqual([
      { q: 'politie', lang: 'nl', limit: '100', sort: 'latest' },
      { q: 'politie', lang: 'nl', limit: '100', sort: 'latest', cursor: '100' },
    ]);
    expect(searches.map(bearer)).toEqual([`Bearer ${session.accessJwt}`, `Bearer ${session.accessJwt}`]);
    expect(first.cursor).toEqual({ mode: 'search', current: null, searches: { 'nl:politie': { apiCursor: null, passNewest: null, known: '2026-11-22T21:14:08.512Z' } } });

    // A mid-pass page is re-fetchable from its cursor.
    const midPass = first.pages[0]!.nextCursor;
    const again = await blueskyCollector.fetchPage(cfg, midPass, ctx);
    expect(again.items).toEqual(first.pages[1]!.items);
    expect(again.nextCursor).toEqual(first.pages[1]!.nextCursor);

    const fresh = { uri: 'at://did:plc:q4zvwmbr2nsjdyhl5kfgfu7e/app.bsky.feed.post/3mzxcv2lkj62p', cid: 'bafyreigq4zvwmbr2nsjdyhl5kfgfu7eq4zvwmbr2nsjdyhl5kfgfu7eaa', author: { did: 'did:plc:q4zvwmbr2nsjdyhl5kfgfu7e', handle: 'nieuw.bsky.social' }, record: { $type: 'app.bsky.feed.post', createdAt: '2026-11-23T06:59:58.000Z', langs: ['nl'], text: 'Weer een agent die door rood fietst' }, indexedAt: '2026-11-23T07:00:00.120Z' };
    server.route('GET', SEARCH, byCursor({ ...latest, posts: [fresh, ...(latest.posts as unknown[])] }));
    const before = calls(SEARCH).length;
    const second = await run(cfg, first.cursor);
    expect(second.pages).toHaveLength(1);
    expect(externalIds(second.pages[0]!.items, cfg).ids).toEqual([fresh.uri]);
    expect(calls(SEARCH).slice(before).map((r) => r.query.get('cursor'))).toEqual([null]);
    expect(second.cursor.searches['nl:politie']!.known).toBe('2026-11-23T07:00:00.120Z');
    expect(calls(CREATE)).toHaveLength(1);
  });

  it('refreshes an expired access token and retries the call', async () => {
    server.route('GET', SEARCH, (req) => (bearer(req) === `Bearer ${refreshed.accessJwt}`
      ? { body: { posts: latest.posts } }
      : { status: 400, body: json('error-expired-token.json') }));
    const page = await blueskyCollector.fetchPage(config(), null, ctx);
    expect(page.items).toHaveLength(3);
    expect(server.requests.map((r) => `${r.path} ${bearer(r) ?? ''}`)).toEqual([
      `${CREATE} `,
      `${SEARCH} Bearer ${session.accessJwt}`,
      `${REFRESH} Bearer ${session.refreshJwt}`,
      `${SEARCH} Bearer ${refreshed.accessJwt}`,
    ]);
    await blueskyCollector.fetchPage(config(), null, ctx);
    expect(calls(SEARCH).map(bearer).at(-1)).toBe(`Bearer ${refreshed.accessJwt}`);
    expect(calls(REFRESH)).toHaveLength(1);
  });

  it('logs in again when the refresh token is refused too', async () => {
    server.route('POST', CREATE, inOrder({ body: session }, { body: refreshed }));
    server.route('POST', REFRESH, { status: 400, body: json('error-expired-token.json') });
    server.route('GET', SEARCH, (req) => (bearer(req) === `Bearer ${refreshed.accessJwt}`
      ? { body: { posts: [] } }
      : { status: 401, body: json('error-expired-token.json') }));
    const page = await blueskyCollector.fetchPage(config(), null, ctx);
    expect(page.done).toBe(true);
    expect(server.requests.map((r) => r.path)).toEqual([CREATE, SEARCH, REFRESH, CREATE, SEARCH]);
  });

  it('reports bad credentials and a missing secret as source errors, without the password', async () => {
    server.route('POST', CREATE, { status: 401, body: json('error-invalid-login.json') });
    const error = await blueskyCollector.fetchPage(config(), null, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).reason).toBe('auth');
    expect((error as Error).message).toMatch(/meldpunt-test\.bsky\.social.*Invalid identifier or password/);
    expect((error as Error).message).not.toContain(PASSWORD);
    const missing = await blueskyCollector.fetchPage(config({ appPasswordSecret: 'NOT_SET' }), null, ctx).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'SourceError', reason: 'auth', message: expect.stringMatching(/KS_SECRET_NOT_SET/) });
  });

  it('waits out a 429 Retry-After and a 500, then continues; a long Retry-After ends the run', async () => {
    server.route('GET', SEARCH, inOrder(
      { status: 429, headers: { 'retry-after': '1', 'ratelimit-limit': '3000', 'ratelimit-remaining': '0', 'ratelimit-policy': '3000;w=300' }, body: json('error-rate-limit.json') },
      { status: 500, body: json('error-internal.json') },
      { body: { posts: latest.posts } },
    ));
    const started = Date.now();
    const page = await blueskyCollector.fetchPage(config(), null, ctx);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(page.items).toHaveLength(3);
    expect(calls(SEARCH)).toHaveLength(3);

    server.route('GET', SEARCH, { status: 429, headers: { 'retry-after': '3600' }, body: json('error-rate-limit.json') });
    await expect(blueskyCollector.fetchPage(config(), null, ctx)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('retries a timed-out search through the shared client', async () => {
    ctx = { ...ctx, http: new HttpClient({ timeoutMs: 300, baseBackoffMs: 10 }) };
    server.route('GET', SEARCH, inOrder({ delayMs: 1_000, body: { posts: [] } }, { body: { posts: latest.posts } }));
    const page = await blueskyCollector.fetchPage(config(), null, ctx);
    expect(page.items).toHaveLength(3);
  });

  it('stops at the lookback limit and records the gap when older posts remain', async () => {
    server.route('GET', SEARCH, byCursor());
    const cfg = config({ lookbackDays: 3 });
    const { pages, cursor } = await run(cfg, null);
    expect(pages.map((p) => p.gap?.reason)).toEqual([undefined, 'lookback_exceeded']);
    expect(pages[1]!.gap!.detail).toMatch(/"politie" \(nl\).*3-day/);
    expect(externalIds(pages[1]!.items, cfg)).toEqual({ ids: [uris(older)[0]], malformed: 1 });
    expect(pages[1]!.done).toBe(true);
    expect(cursor.searches['nl:politie']).toEqual({ apiCursor: null, passNewest: null, known: '2026-11-22T21:14:08.512Z' });
  });

  it('runs each query per language in turn and is done after the last one', async () => {
    server.route('GET', SEARCH, { body: json('searchPosts-empty.json') });
    const { pages, cursor } = await run(config({ queries: ['politie', 'agent'], searchLanguages: ['nl', 'en'] }), null);
    expect(pages.map((p) => p.done)).toEqual([false, false, false, true]);
    expect(calls(SEARCH).map((r) => `${r.query.get('q')}/${r.query.get('lang')}`)).toEqual(['politie/nl', 'politie/en', 'agent/nl', 'agent/en']);
    expect(cursor.current).toBeNull();
    const all = await blueskyCollector.fetchPage(config({ searchLanguages: [] }), null, ctx);
    expect(calls(SEARCH).at(-1)!.query.has('lang')).toBe(false);
    expect(all.nextCursor).toMatchObject({ current: null });
  });
});
