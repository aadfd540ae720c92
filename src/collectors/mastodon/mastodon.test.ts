import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchContext, pageUntilDone } from '../../../tests/support/fixtures.js';
import { fixture, inOrder, startReplayServer, type RecordedRequest, type ReplayServer } from '../../../tests/support/replay-server.js';
import { SourceError, type FetchContext } from '../types.js';
import { feedUrl, parseLinkHeader } from './client.js';
import { feedsOf, mastodonCollector, type MastodonConfig, type MastodonCursor } from './index.js';
import { compareIds } from './paging.js';

type Status = { id: string; uri: string; created_at: string };
const load = (name: string) => JSON.parse(fixture('mastodon', name)) as Status[];
const page1 = load('paging-page-1.json');
const page2 = load('paging-page-2.json');
const newer = load('paging-newer.json');
const NOW = new Date('2026-11-23T08:00:00Z');

let server: ReplayServer;
let ctx: FetchContext;
beforeEach(async () => {
  server = await startReplayServer();
  ctx = { ...fetchContext({ TOKEN_A: 'fake-token-a' }), now: () => NOW };
});
afterEach(async () => { await ctx.http.close(); await server.close(); });

const config = (raw: Record<string, unknown>): MastodonConfig => mastodonCollector.configSchema.parse(raw);
const instance = (path: string, extra: Record<string, unknown> = {}) => ({ baseUrl: `${server.url}${path}`, domain: 'mastodon.example', hashtags: ['agent'], ...extra });
const ids = (items: { status: unknown }[]) => items.map((i) => (i.status as Status).id);
const query = (r: RecordedRequest) => Object.fromEntries([...r.query.entries()].filter(([k]) => k !== 'limit'));
const link = (path: string, statuses: Status[]) => ({
  link: `<${server.url}${path}?max_id=${statuses.at(-1)!.id}>; rel="next", <${server.url}${path}?min_id=${statuses[0]!.id}>; rel="prev"`,
});

/** Runs pages until the collector says done, like the collect service. */
const collect = (cfg: MastodonConfig, cursor: MastodonCursor | null) => pageUntilDone(mastodonCollector, cfg, cursor, ctx, 20);

describe('Mastodon hashtag paging through the shared HTTP client', () => {
  const path = '/api/v1/timelines/tag/agent';
  beforeEach(() => {
    server.route('GET', path, (req) => {
      const { max_id: maxId, min_id: minId } = Object.fromEntries(req.query);
      if (!maxId && !minId) return { body: page1, headers: link(path, page1) };
      if (maxId === page1.at(-1)!.id) return { body: page2, headers: link(path, page2) };
      if (minId === page1[0]!.id) return { body: newer, headers: link(path, newer) };
      return { body: [] };
    });
  });

  it('back-fills with max_id from the Link header on the first run, then pages forward with min_id', async () => {
    const cfg = config({ instances: [instance('')], pageSize: 3 });
    const first = await collect(cfg, null);
    expect(ids(first.items)).toEqual([...page1, ...page2].map((s) => s.id));
    expect(server.requests.map(query)).toEqual([{}, { max_id: page1.at(-1)!.id }]);
    expect(server.requests[0]!.query.get('limit')).toBe('3');
    expect(first.pages.map((p) => p.done)).toEqual([false, true]);

    const second = await collect(cfg, first.cursor);
    expect(ids(second.items)).toEqual(newer.map((s) => s.id));
    expect(query(server.requests[2]!)).toEqual({ min_id: page1[0]!.id });

    const third = await collect(cfg, second.cursor);
    expect(third.items).toEqual([]);
    expect(query(server.requests[3]!)).toEqual({ min_id: newer[0]!.id });
  });

  it('re-fetching a page from its cursor after a crash yields the same items', async () => {
    const cfg = config({ instances: [instance('')], pageSize: 3 });
    const firstPage = await mastodonCollector.fetchPage(cfg, null, ctx);
    const again = await mastodonCollector.fetchPage(cfg, firstPage.nextCursor, ctx);
    const replay = await mastodonCollector.fetchPage(cfg, firstPage.nextCursor, ctx);
    expect(ids(replay.items)).toEqual(ids(again.items));
    expect(replay.nextCursor).toEqual(again.nextCursor);
  });

  it('stops the first back-fill at the lookback limit', async () => {
    const cfg = config({ instances: [instance('')], pageSize: 3, lookbackHours: 24 });
    const { items, cursor } = await collect(cfg, null);
    // 2026-11-21T23:59 is older than NOW minus 24 hours.
    expect(ids(items)).toEqual([...page1, page2[0]!].map((s) => s.id));
    expect(cursor.feeds[feedsOf(cfg)[0]!.key]).toEqual({ newestId: page1[0]!.id, sweep: null });
  });

  it('reports a lookback_exceeded gap when the back-fill page budget runs out first', async () => {
    const cfg = config({ instances: [instance('')], pageSize: 2, maxBackfillPages: 2 });
    server.route('GET', path, (req) => {
      const all = [...page1, ...page2];
      const maxId = req.query.get('max_id');
      const older = maxId ? all.filter((s) => compareIds(s.id, maxId) < 0) : all;
      const body = older.slice(0, 2);
      return { body, headers: body.length ? link(path, body) : {} };
    });
    const { items, pages } = await collect(cfg, null);
    expect(items).toHaveLength(4);
    expect(pages.at(-1)!.gap).toMatchObject({ reason: 'lookback_exceeded' });
  });
});

describe('Mastodon across instances and failures', () => {
  const tagA = '/a/api/v1/timelines/tag/politie';
  const tagB = '/b/api/v1/timelines/tag/politie';
  const bodyB = fixture('mastodon', 'tag-politie-instance-b.json');
  const twoInstances = () => config({ instances: [instance('/a', { hashtags: ['politie'] }), instance('/b', { hashtags: ['politie'], domain: 'toot.example.nl' })] });

  it('collects the other instance when one answers 401 and reports the failing one as the gap', async () => {
    server.route('GET', tagA, { status: 401, body: fixture('mastodon', 'error-401.json') });
    server.route('GET', tagB, { body: bodyB });
    const { pages, items } = await collect(twoInstances(), null);
    expect(pages).toHaveLength(1);
    expect(items.map((i) => i.instance)).toEqual(['toot.example.nl', 'toot.example.nl']);
    expect(pages[0]!.gap?.reason).toBe('auth');
    expect(pages[0]!.gap?.detail).toMatch(/#politie: HTTP 401: This method requires an authenticated user/);
  });

  it('throws a SourceError when no instance could be fetched', async () => {
    server.route('GET', tagA, { status: 401, body: fixture('mastodon', 'error-401.json') });
    server.route('GET', tagB, { status: 404, body: fixture('mastodon', 'error-404.json') });
    const failure = mastodonCollector.fetchPage(twoInstances(), null, ctx);
    await expect(failure).rejects.toBeInstanceOf(SourceError);
    await expect(failure).rejects.toMatchObject({ reason: 'auth', message: expect.stringMatching(/401.*; .*404/) });
  });

  it('reports an unknown tag as not_found and still collects the other tags', async () => {
    const cfg = config({ instances: [instance('/a', { hashtags: ['bestaatniet', 'politie'] })], tagsPerRequest: 1 });
    server.route('GET', '/a/api/v1/timelines/tag/bestaatniet', { status: 404, body: fixture('mastodon', 'error-404.json') });
    server.route('GET', tagA, { body: bodyB });
    const { pages, items } = await collect(cfg, null);
    expect(items).toHaveLength(2);
    expect(pages[0]!.gap).toMatchObject({ reason: 'not_found', detail: expect.stringMatching(/#bestaatniet: HTTP 404: Record not found/) });
    const only = config({ instances: [instance('/a', { hashtags: ['bestaatniet'] })] });
    await expect(mastodonCollector.fetchPage(only, null, ctx)).rejects.toMatchObject({ name: 'SourceError', reason: 'not_found' });
  });

  it('waits out a 429 with Retry-After and then collects', async () => {
    server.route('GET', tagB, inOrder({ status: 429, headers: { 'retry-after': '1' }, body: { error: 'Too many requests' } }, { body: bodyB }));
    const started = Date.now();
    const { items } = await collect(config({ instances: [instance('/b', { hashtags: ['politie'] })] }), null);
    expect(items).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('skips an instance that rate-limits for too long and collects the other', async () => {
    // A second host: the shared client pauses a rate-limited host, not the others.
    const other = await startReplayServer();
    try {
      server.route('GET', tagA, { status: 429, headers: { 'retry-after': '3600' } });
      other.route('GET', tagB, { body: bodyB });
      const cfg = config({ instances: [instance('/a', { hashtags: ['politie'] }), { ...instance('/b', { hashtags: ['politie'] }), baseUrl: `${other.url}/b` }] });
      const { pages, items } = await collect(cfg, null);
      expect(items).toHaveLength(2);
      expect(pages[0]!.gap).toMatchObject({ reason: 'rate_limited', detail: expect.stringMatching(/rate limited by 127\.0\.0\.1/) });
    } finally {
      await other.close();
    }
  });

  it('treats a malformed JSON body as a source problem of that instance only', async () => {
    server.route('GET', tagA, { headers: { 'content-type': 'application/json' }, body: fixture('mastodon', 'truncated-body.json') });
    server.route('GET', tagB, { body: bodyB });
    const { pages, items } = await collect(twoInstances(), null);
    expect(items).toHaveLength(2);
    expect(pages[0]!.gap).toMatchObject({ reason: 'other', detail: expect.stringMatching(/not JSON/) });
    const only = config({ instances: [instance('/a', { hashtags: ['politie'] })] });
    await expect(mastodonCollector.fetchPage(only, null, ctx)).rejects.toMatchObject({ name: 'SourceError', reason: 'other' });
  });

  it('passes statuses with broken HTML, mentions, links and emoji to map, leaving out media-only ones', async () => {
    server.route('GET', tagA, { body: fixture('mastodon', 'tag-politie.json') });
    const cfg = config({ instances: [instance('/a', { hashtags: ['politie'] })], lookbackHours: 24 * 30 });
    const { items, pages } = await collect(cfg, null);
    const mapped = items.flatMap((item) => { try { return [mastodonCollector.map(item, cfg)]; } catch { return []; } });
    expect(items).toHaveLength(4);
    expect(pages[0]!.prefiltered).toEqual({ no_text: 1 }); // counted on the run, not dropped silently
    expect(mapped).toHaveLength(3);
    expect(mapped[1]!.text).toContain('@wijkagent_noord bedankt voor het snelle optreden gisteren :blobheart:');
  });
});

describe('Mastodon search with an access token', () => {
  const searchPath = '/a/api/v2/search';
  const withSearch = (secret: string) => config({ instances: [instance('/a', { hashtags: [], searchQueries: ['klacht politie'], accessTokenSecret: secret })], lookbackHours: 24 * 30 });

  it('sends the Bearer token, asks for statuses only and keeps only public ones', async () => {
    server.route('GET', searchPath, { body: JSON.parse(fixture('mastodon', 'search-klacht-politie.json')) });
    const { items, pages } = await collect(withSearch('TOKEN_A'), null);
    expect(items).toHaveLength(1);
    expect(pages[0]!.prefiltered).toEqual({ not_public: 2 });
    const req = server.requests[0]!;
    expect(req.headers.authorization).toBe('Bearer fake-token-a');
    expect(query(req)).toEqual({ q: 'klacht politie', type: 'statuses', resolve: 'false' });
  });

  it('reports a missing token secret as an auth problem without calling the instance', async () => {
    await expect(mastodonCollector.fetchPage(withSearch('NOT_SET'), null, ctx)).rejects.toMatchObject({ reason: 'auth', message: expect.stringMatching(/KS_SECRET_NOT_SET/) });
    expect(server.requests).toHaveLength(0);
  });
});

describe('Mastodon config and requests', () => {
  it('groups hashtags into any[] requests of at most four and normalises them', () => {
    const cfg = mastodonCollector.configSchema.parse({ instances: [{ baseUrl: 'https://mastodon.example/', hashtags: ['#Politie', 'agent', 'klacht', '112', 'politiegeweld', 'agent'] }] });
    const feeds = feedsOf(cfg);
    expect(feeds.map((f) => f.tags)).toEqual([['politie', 'agent', 'klacht', '112'], ['politiegeweld']]);
    expect(feedUrl(feeds[0]!, { limit: 40, min_id: '5' })).toBe('https://mastodon.example/api/v1/timelines/tag/politie?any%5B%5D=agent&any%5B%5D=klacht&any%5B%5D=112&limit=40&min_id=5');
  });
  it('refuses search queries without an access token secret and instances with nothing to follow', () => {
    expect(mastodonCollector.configSchema.safeParse({ instances: [{ searchQueries: ['politie'] }] }).success).toBe(false);
    expect(mastodonCollector.configSchema.safeParse({ instances: [{ hashtags: [] }] }).success).toBe(false);
    expect(mastodonCollector.configSchema.safeParse({ instances: [{ hashtags: ['politie agent'] }] }).success).toBe(false);
  });
  it('reads Link headers and orders ids of different lengths', () => {
    const links = parseLinkHeader('<https://m.example/api/v1/timelines/tag/a?max_id=98>; rel="next", <https://m.example/api/v1/timelines/tag/a?min_id=120>; rel="prev"');
    expect(links.get('next')?.searchParams.get('max_id')).toBe('98');
    expect(links.get('prev')?.searchParams.get('min_id')).toBe('120');
    expect(compareIds('99', '100')).toBeLessThan(0);
    expect(compareIds('117653383499743235', '117650832949248011')).toBeGreaterThan(0);
  });
});
