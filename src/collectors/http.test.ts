import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inOrder, startReplayServer, type ReplayServer } from '../../tests/support/replay-server.js';
import { HttpClient, HttpError, RateLimitedError, transientGap, USER_AGENT, waitFromHeaders } from './http.js';

describe('rate-limit header reading', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  it.each([
    [{ 'retry-after': '7' }, 7000],
    [{ 'retry-after': 'Mon, 23 Nov 2026 10:00:30 GMT' }, 30_000],
    [{ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-11-23T10:05:00.000Z' }, 300_000], // Mastodon
    [{ 'ratelimit-remaining': '0', 'ratelimit-reset': String(now / 1000 + 60) }, 60_000], // Bluesky, epoch seconds
    [{ 'x-ratelimit-remaining': '0.0', 'x-ratelimit-reset': '42' }, 42_000], // Reddit, seconds to go
    [{ 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': '42' }, null],
    [{}, null],
  ])('%j → %s ms', (headers, expected) => {
    expect(waitFromHeaders(headers as Record<string, string>, now)).toBe(expected);
  });
});

describe('transientGap', () => {
  const withCode = (code: string) => Object.assign(new Error(`socket ${code}`), { code });
  it('records rate limits, server errors and network failures (EPIPE included) as gaps', () => {
    expect(transientGap(new RateLimitedError('https://a.example/x', new Date(0)))?.reason).toBe('rate_limited');
    expect(transientGap(new HttpError(503, 'https://a.example/x', 'HTTP 503'))).toEqual({ reason: 'outage', detail: 'HTTP 503' });
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'EAI_AGAIN', 'EPIPE']) expect(transientGap(withCode(code))).toEqual({ reason: 'outage', detail: `${code}: socket ${code}` });
  });
  it('leaves client errors and bugs to the caller', () => {
    expect(transientGap(new HttpError(404, 'https://a.example/x', 'HTTP 404'))).toBeNull();
    expect(transientGap(new TypeError('x is undefined'))).toBeNull();
    expect(transientGap(withCode('ENOENT'))).toBeNull();
  });
});

describe('HttpClient against a local server', () => {
  let server: ReplayServer;
  let client: HttpClient;
  const slept: number[] = [];
  beforeEach(async () => {
    server = await startReplayServer();
    slept.length = 0;
    client = new HttpClient({ timeoutMs: 500, baseBackoffMs: 10, maxAttempts: 4, maxWaitMs: 10_000, defaultPolicy: { concurrency: 2, minIntervalMs: 0 },
      sleep: async (ms) => { slept.push(ms); await new Promise((r) => setTimeout(r, Math.min(ms, 20))); } });
  });
  afterEach(async () => { await client.close(); await server.close(); });

  it('sends a descriptive User-Agent, asks for gzip and decodes it', async () => {
    server.route('GET', '/x', { body: { hello: 'wereld' }, gzip: true });
    const res = await client.request(`${server.url}/x`);
    expect(res.json()).toEqual({ hello: 'wereld' });
    expect(server.requests[0]!.headers['user-agent']).toBe(USER_AGENT);
    expect(server.requests[0]!.headers['accept-encoding']).toContain('gzip');
  });

  it('retries 5xx with backoff and then succeeds', async () => {
    server.route('GET', '/flaky', inOrder({ status: 500 }, { status: 503 }, { body: 'ok' }));
    expect((await client.request(`${server.url}/flaky`)).text()).toBe('ok');
    expect(server.requests).toHaveLength(3);
    expect(slept.filter((ms) => ms > 0).length).toBeGreaterThanOrEqual(1);
  });

  it('waits as long as Retry-After says on 429', async () => {
    server.route('GET', '/limited', inOrder({ status: 429, headers: { 'retry-after': '3' } }, { body: 'ok' }));
    expect((await client.request(`${server.url}/limited`)).text()).toBe('ok');
    expect(slept).toContain(3000);
  });

  it('gives up with RateLimitedError when the wait is longer than allowed', async () => {
    server.route('GET', '/long', { status: 429, headers: { 'retry-after': '3600' } });
    await expect(client.request(`${server.url}/long`)).rejects.toBeInstanceOf(RateLimitedError);
    expect(server.requests).toHaveLength(1);
  });

  it('retries network errors and timeouts, then reports them', async () => {
    server.route('GET', '/drop', inOrder({ destroy: true }, { body: 'back' }));
    expect((await client.request(`${server.url}/drop`)).text()).toBe('back');
    server.route('GET', '/slow', { delayMs: 1500, body: 'too late' });
    await expect(client.request(`${server.url}/slow`)).rejects.toMatchObject({ code: expect.stringMatching(/UND_ERR/) });
  });

  it('throws HttpError on other statuses unless the caller accepts them', async () => {
    server.route('GET', '/gone', { status: 410 });
    await expect(client.request(`${server.url}/gone`)).rejects.toBeInstanceOf(HttpError);
    expect((await client.request(`${server.url}/gone`, { accept: [410] })).status).toBe(410);
  });

  it('keeps to the per-host concurrency limit', async () => {
    let active = 0;
    let peak = 0;
    server.route('GET', '/busy', async () => { active++; peak = Math.max(peak, active); await new Promise((r) => setTimeout(r, 50)); active--; return { body: 'x' }; });
    await Promise.all(Array.from({ length: 6 }, () => client.request(`${server.url}/busy`)));
    expect(peak).toBe(2);
  });

  it('pauses a host after a response says the rate-limit window is used up', async () => {
    server.route('GET', '/window', inOrder({ body: 'a', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' } }, { body: 'b' }));
    await client.request(`${server.url}/window`);
    await client.request(`${server.url}/window`);
    expect(slept.some((ms) => ms > 1500 && ms <= 2000)).toBe(true);
  });
});
