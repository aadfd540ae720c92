import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchContext } from '../../../tests/support/fixtures.js';
import { fixture, inOrder, startReplayServer, type RecordedRequest, type ReplayServer } from '../../../tests/support/replay-server.js';
import { RateLimitedError } from '../http.js';
import { SourceError, type FetchContext } from '../types.js';
import { redditCollector, type RedditCursor } from './index.js';
import type { RedditThing } from './map.js';

const SECRETS = { REDDIT_CLIENT_ID: 'test-client-id', REDDIT_CLIENT_SECRET: 'test-client-secret' };
const USER_AGENT = 'server:klachtsignaal:0.1.0 (by /u/ks_testbot)';
const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };

const json = <T = unknown>(name: string): T => JSON.parse(fixture('reddit', name)) as T;
const newPosts = () => json<{ data: { children: RedditThing[] } }>('new.json').data.children;
const listing = (children: RedditThing[], after: string | null) => ({ kind: 'Listing', data: { after, dist: children.length, modhash: '', geo_filter: '', children, before: null } });
const names = (items: RedditThing[]) => items.map((t) => t.data.name);
const rateLimited = json<{ status: number; headers: Record<string, string>; body: unknown }>('rate-limited.json');

describe('Reddit collector against a replay server', () => {
  let server: ReplayServer;
  let ctx: FetchContext;
  const token = { body: json('token.json'), headers: JSON_HEADERS };
  const tokenRequests = () => server.requests.filter((r) => r.path === '/api/v1/access_token');
  const apiRequests = (path?: string) => server.requests.filter((r) => r.path !== '/api/v1/access_token' && (!path || r.path === path));
  const config = (extra: Record<string, unknown> = {}) => redditCollector.configSchema.parse({
    apiBase: server.url, authBase: server.url, userAgentContact: 'u/ks_testbot', subreddits: ['thenetherlands'], comments: false, queries: [], ...extra,
  });

  beforeEach(async () => {
    server = await startReplayServer();
    server.route('POST', '/api/v1/access_token', token);
    ctx = fetchContext(SECRETS);
  });
  afterEach(async () => {
    await ctx.http.close();
    await server.close();
  });

  it('gets one app-only token, sends it with the Reddit User-Agent on every call, and renews it before it expires', async () => {
    server.route('GET', '/r/thenetherlands/new', { body: json('new.json'), headers: JSON_HEADERS });
    server.route('GET', '/r/thenetherlands/comments', { body: json('comments.json'), headers: JSON_HEADERS });
    const cfg = config({ comments: true });
    const first = await redditCollector.fetchPage(cfg, null, ctx);
    const second = await redditCollector.fetchPage(cfg, first.nextCursor, ctx);
    expect([first.done, second.done]).toEqual([false, true]);
    expect(names(second.items)).toEqual(['t1_lq9v1ef', 't1_lq9x2ab']);
    expect(second.nextCursor.position).toBe(0);

    expect(tokenRequests()).toHaveLength(1);
    const [tokenCall] = tokenRequests() as [RecordedRequest];
    expect(tokenCall.headers.authorization).toBe(`Basic ${Buffer.from('test-client-id:test-client-secret').toString('base64')}`);
    expect(tokenCall.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenCall.body).toBe('grant_type=client_credentials');
    const accessToken = json<{ access_token: string }>('token.json').access_token;
    for (const call of apiRequests()) {
      expect(call.headers.authorization).toBe(`bearer ${accessToken}`);
      expect(call.query.get('limit')).toBe('100');
      expect(call.query.get('raw_json')).toBe('1');
    }
    for (const call of server.requests) expect(call.headers['user-agent']).toBe(USER_AGENT);

    // expires_in is 86400 s: a day later the cached token is no longer used.
    ctx.now = () => new Date(Date.now() + 86_400_000);
    await redditCollector.fetchPage(cfg, second.nextCursor, ctx);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('fetches a fresh token after a 401 and repeats the call once', async () => {
    server.route('POST', '/api/v1/access_token', inOrder(
      { body: { ...json<object>('token.json'), access_token: 'revoked-token' } },
      { body: { ...json<object>('token.json'), access_token: 'fresh-token' } },
    ));
    server.route('GET', '/r/thenetherlands/new', (req) => req.headers.authorization === 'bearer fresh-token'
      ? { body: json('new.json') }
      : { status: 401, body: json('unauthorized.json') });
    const page = await redditCollector.fetchPage(config(), null, ctx);
    expect(names(page.items)).toEqual(['t3_1ny6xw3', 't3_1ny7k9m', 't3_1ny7q0a', 't3_1ny8k2q']);
    expect(tokenRequests()).toHaveLength(2);
    expect(apiRequests().map((r) => r.headers.authorization)).toEqual(['bearer revoked-token', 'bearer fresh-token']);
  });

  it('gives up with an auth SourceError when a fresh token is refused too', async () => {
    server.route('GET', '/r/thenetherlands/new', { status: 401, body: json('unauthorized.json') });
    const error = await redditCollector.fetchPage(config(), null, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).reason).toBe('auth');
    expect(tokenRequests()).toHaveLength(2);
  });

  it('reports bad app credentials and a missing secret as auth SourceErrors', async () => {
    server.route('POST', '/api/v1/access_token', { status: 401, body: json('unauthorized.json') });
    await expect(redditCollector.fetchPage(config(), null, ctx)).rejects.toMatchObject({ name: 'SourceError', reason: 'auth', message: /401/ });
    const noSecret = fetchContext({ REDDIT_CLIENT_ID: 'x' });
    await expect(redditCollector.fetchPage(config(), null, noSecret)).rejects.toMatchObject({ name: 'SourceError', reason: 'auth', message: /REDDIT_CLIENT_SECRET/ });
    await noSecret.http.close();
    expect(apiRequests()).toHaveLength(0);
  });

  it('walks back via after, returns oldest first, and next time stops at the newest post it returned', async () => {
    const posts = newPosts();
    let front = listing(posts.slice(0, 3), 't3_1ny7q0a');
    server.route('GET', '/r/thenetherlands/new', (req) => ({ body: req.query.get('after') === 't3_1ny7q0a' ? listing(posts.slice(3), null) : front }));
    const first = await redditCollector.fetchPage(config(), null, ctx);
    expect(apiRequests().map((r) => r.query.get('after'))).toEqual([null, 't3_1ny7q0a']);
    expect(names(first.items)).toEqual(['t3_1ny6xw3', 't3_1ny7k9m', 't3_1ny7q0a', 't3_1ny8k2q']);
    expect(first.deletedExternalIds).toEqual(['t3_1ny7zt1']);
    expect(first.nextCursor).toEqual({ position: 0, newest: { 'r/thenetherlands/new': 't3_1ny8k2q' } });
    expect(first.done).toBe(true);

    const fresh: RedditThing = { kind: 't3', data: { ...posts[0]!.data, name: 't3_1ny9a0b', id: '1ny9a0b', title: 'Nieuwe post over de politie' } };
    front = listing([fresh, ...posts.slice(0, 2)], 't3_1ny7zt1');
    const second = await redditCollector.fetchPage(config(), first.nextCursor, ctx);
    expect(names(second.items)).toEqual(['t3_1ny9a0b']);
    expect(apiRequests()).toHaveLength(3);
    expect(second.nextCursor.newest['r/thenetherlands/new']).toBe('t3_1ny9a0b');
    // Re-running the same page (a crash before commit) yields the same items.
    expect(names((await redditCollector.fetchPage(config(), first.nextCursor, ctx)).items)).toEqual(['t3_1ny9a0b']);
  });

  it('reports a lookback gap when more has arrived than it may walk', async () => {
    server.route('GET', '/r/thenetherlands/new', { body: listing(newPosts().slice(0, 3), 't3_1ny7q0a') });
    const cursor: RedditCursor = { position: 0, newest: { 'r/thenetherlands/new': 't3_1nx2b7p' } };
    const page = await redditCollector.fetchPage(config({ maxPagesPerListing: 1 }), cursor, ctx);
    expect(names(page.items)).toEqual(['t3_1ny7q0a', 't3_1ny8k2q']);
    expect(page.gap).toMatchObject({ reason: 'lookback_exceeded', detail: expect.stringContaining('r/thenetherlands/new') });
    expect(page.nextCursor.newest['r/thenetherlands/new']).toBe('t3_1ny8k2q');
    expect(apiRequests()).toHaveLength(1);
  });

  it('waits for X-Ratelimit-Reset once X-Ratelimit-Remaining is used up', async () => {
    const at: Record<string, number> = {};
    server.route('GET', '/r/thenetherlands/new', () => {
      at.new = Date.now();
      return { body: json('new.json'), headers: { ...JSON_HEADERS, 'x-ratelimit-used': '100', 'x-ratelimit-remaining': '0.0', 'x-ratelimit-reset': '1' } };
    });
    server.route('GET', '/r/thenetherlands/comments', () => {
      at.comments = Date.now();
      return { body: json('comments.json'), headers: JSON_HEADERS };
    });
    const cfg = config({ comments: true });
    const first = await redditCollector.fetchPage(cfg, null, ctx);
    await redditCollector.fetchPage(cfg, first.nextCursor, ctx);
    expect(at.comments! - at.new!).toBeGreaterThanOrEqual(900);
  });

  it('retries a 429 after its X-Ratelimit-Reset, and stops with RateLimitedError when the reset is too far away', async () => {
    const at: number[] = [];
    const answers = inOrder(rateLimited, { body: json('new.json'), headers: JSON_HEADERS });
    server.route('GET', '/r/thenetherlands/new', (req) => {
      at.push(Date.now());
      return answers(req);
    });
    const page = await redditCollector.fetchPage(config(), null, ctx);
    expect(page.items).toHaveLength(4);
    expect(at).toHaveLength(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(900);

    server.route('GET', '/r/thenetherlands/new', { ...rateLimited, headers: { ...rateLimited.headers, 'x-ratelimit-reset': '600' } });
    await expect(redditCollector.fetchPage(config(), null, ctx)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('skips a private subreddit with a gap and still reads the others', async () => {
    server.route('GET', /^\/r\/geheim_genootschap\//, { status: 403, body: json('forbidden-private.json') });
    server.route('GET', '/r/thenetherlands/new', { body: json('new.json') });
    server.route('GET', '/r/thenetherlands/comments', { body: json('comments.json') });
    server.route('GET', '/r/thenetherlands/search', { body: json('search-politie.json') });
    const cfg = config({ subreddits: ['geheim_genootschap', 'r/thenetherlands'], comments: true, queries: ['politie'] });
    const first = await redditCollector.fetchPage(cfg, null, ctx);
    expect(first.gap?.reason).toBe('auth');
    expect(first.gap?.detail).toMatch(/geheim_genootschap\/new answered 403 \(private\)/);
    expect(first.gap?.detail).toMatch(/r\/geheim_genootschap\/search\?q=politie skipped/);
    expect(names(first.items)).toContain('t3_1ny8k2q');
    expect(apiRequests().filter((r) => r.path.startsWith('/r/geheim_genootschap/'))).toHaveLength(1);
    expect(first.nextCursor.position).toBe(4);
    const second = await redditCollector.fetchPage(cfg, first.nextCursor, ctx);
    const third = await redditCollector.fetchPage(cfg, second.nextCursor, ctx);
    expect([second.done, third.done]).toEqual([false, true]);
    expect(names(third.items)).toEqual(['t3_1nx2b7p', 't3_1ny8k2q']);
    expect(third.nextCursor.newest).not.toHaveProperty('r/geheim_genootschap/new');
  });

  it('raises a SourceError only when no configured subreddit can be read', async () => {
    server.route('GET', /^\/r\/geheim_genootschap\//, { status: 403, body: json('forbidden-private.json') });
    server.route('GET', /^\/r\/verbannen\//, { status: 404, body: json('banned.json') });
    const both = config({ subreddits: ['geheim_genootschap', 'verbannen'], comments: true });
    await expect(redditCollector.fetchPage(both, null, ctx)).rejects.toMatchObject({ name: 'SourceError', reason: 'auth', message: /private.*banned/ });
    await expect(redditCollector.fetchPage(config({ subreddits: ['verbannen'] }), null, ctx)).rejects.toMatchObject({ reason: 'not_found' });
    // Part way through a round the rest being closed is a gap, not an error.
    const tail = await redditCollector.fetchPage(both, { position: 1, newest: {} }, ctx);
    expect(tail).toMatchObject({ items: [], done: true, nextCursor: { position: 0 }, gap: { reason: 'auth' } });
  });

  it('rides out a 500 through the shared client retries', async () => {
    server.route('GET', '/r/thenetherlands/new', inOrder({ status: 500, body: '<html><body>Our CDN was unable to reach our servers</body></html>' }, { body: json('new.json') }));
    const page = await redditCollector.fetchPage(config(), null, ctx);
    expect(page.items).toHaveLength(4);
    expect(apiRequests()).toHaveLength(2);
  });

  it('turns malformed JSON into a gap for that listing, keeps its position and reads the next one', async () => {
    server.route('GET', '/r/thenetherlands/new', { body: fixture('reddit', 'malformed.json'), headers: JSON_HEADERS });
    server.route('GET', '/r/thenetherlands/comments', { body: json('comments.json') });
    const cursor: RedditCursor = { position: 0, newest: { 'r/thenetherlands/new': 't3_1nx2b7p' } };
    const page = await redditCollector.fetchPage(config({ comments: true }), cursor, ctx);
    expect(page.gap).toMatchObject({ reason: 'other', detail: expect.stringContaining('invalid JSON') });
    expect(names(page.items)).toEqual(['t1_lq9v1ef', 't1_lq9x2ab']);
    expect(page.deletedExternalIds).toEqual(['t1_lq9w7cd']);
    expect(page.nextCursor).toEqual({ position: 0, newest: { 'r/thenetherlands/new': 't3_1nx2b7p', 'r/thenetherlands/comments': 't1_lq9x2ab' } });
  });

  it('rejects a config without a Reddit contact for the User-Agent', () => {
    expect(redditCollector.configSchema.safeParse({ subreddits: ['thenetherlands'] }).success).toBe(false);
    expect(redditCollector.configSchema.safeParse({ userAgentContact: 'a b' }).success).toBe(false);
    expect(redditCollector.configSchema.parse({ userAgentContact: '/u/ks_ops' })).toMatchObject({
      userAgentContact: 'ks_ops', subreddits: ['thenetherlands', 'Netherlands'], apiBase: 'https://oauth.reddit.com', authBase: 'https://www.reddit.com',
    });
  });
});
