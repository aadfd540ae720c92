import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchContext } from '../../../tests/support/fixtures.js';
import { ROOT } from '../../../tests/support/processes.js';
import { fixture, inOrder, startReplayServer, type ReplayServer } from '../../../tests/support/replay-server.js';
import { HttpClient } from '../http.js';
import { SourceError, type FetchContext } from '../types.js';
import { rssCollector, type RssConfig, type RssCursor } from './index.js';

const RSS = { 'content-type': 'application/rss+xml; charset=utf-8' };
const ETAG = '"5f1c-63a9"';
const LAST_MODIFIED = 'Sun, 22 Nov 2026 20:05:12 GMT';

let server: ReplayServer;
let ctx: FetchContext;
beforeEach(async () => { server = await startReplayServer(); ctx = fetchContext(); });
afterEach(async () => { await ctx.http.close(); await server.close(); });

const config = (path: string): RssConfig => rssCollector.configSchema.parse({ url: `${server.url}${path}` });
const fetchPage = (path: string, cursor: RssCursor | null = null) => rssCollector.fetchPage(config(path), cursor, ctx);

describe('RSS conditional GET', () => {
  it('stores ETag and Last-Modified, sends them back and treats 304 as an empty, finished page', async () => {
    server.route('GET', '/rss/binnenland.xml', (req) => req.headers['if-none-match'] === ETAG
      ? { status: 304, headers: { etag: ETAG } }
      : { headers: { ...RSS, etag: ETAG, 'last-modified': LAST_MODIFIED }, body: fixture('rss', 'nieuws-rss2.xml') });
    const first = await fetchPage('/rss/binnenland.xml');
    expect(first.items).toHaveLength(5);
    expect(first.done).toBe(true);
    expect(first.nextCursor).toEqual({ url: `${server.url}/rss/binnenland.xml`, etag: ETAG, lastModified: LAST_MODIFIED });
    expect(server.requests[0]!.headers['if-none-match']).toBeUndefined();

    const second = await fetchPage('/rss/binnenland.xml', first.nextCursor);
    expect(server.requests[1]!.headers['if-none-match']).toBe(ETAG);
    expect(server.requests[1]!.headers['if-modified-since']).toBe(LAST_MODIFIED);
    expect(second).toEqual({ items: [], nextCursor: first.nextCursor, done: true });
  });

  it('does not send validators that belong to another URL', async () => {
    server.route('GET', '/nieuw.xml', { headers: RSS, body: fixture('rss', 'nieuws-rss2.xml') });
    await fetchPage('/nieuw.xml', { url: `${server.url}/oud.xml`, etag: ETAG, lastModified: LAST_MODIFIED });
    expect(server.requests[0]!.headers['if-none-match']).toBeUndefined();
    expect(server.requests[0]!.headers['if-modified-since']).toBeUndefined();
  });
});

describe('RSS redirects and gone feeds', () => {
  it('follows a 301 and asks to store the new URL', async () => {
    server.route('GET', '/oud.xml', { status: 301, headers: { location: '/nieuw.xml' } });
    server.route('GET', '/nieuw.xml', { headers: { ...RSS, etag: ETAG }, body: fixture('rss', 'nieuws-rss2.xml') });
    const page = await fetchPage('/oud.xml');
    expect(page.configPatch).toEqual({ url: `${server.url}/nieuw.xml` });
    expect(page.nextCursor.url).toBe(`${server.url}/nieuw.xml`);
    expect(page.items).toHaveLength(5);
  });

  it('keeps the URL after a temporary redirect, and only the permanent part of a mixed chain', async () => {
    server.route('GET', '/tijdelijk.xml', { status: 302, headers: { location: `${server.url}/cdn/feed.xml` } });
    server.route('GET', '/cdn/feed.xml', { headers: RSS, body: fixture('rss', 'nieuws-rss2.xml') });
    const temporary = await fetchPage('/tijdelijk.xml');
    expect(temporary.configPatch).toBeUndefined();
    expect(temporary.nextCursor.url).toBe(`${server.url}/tijdelijk.xml`);

    server.route('GET', '/verhuisd.xml', { status: 308, headers: { location: '/tijdelijk.xml' } });
    const mixed = await fetchPage('/verhuisd.xml');
    expect(mixed.configPatch).toEqual({ url: `${server.url}/tijdelijk.xml` });
  });

  it('gives up after five redirects', async () => {
    server.route('GET', /^\/lus\d*\.xml$/, (req) => ({ status: 302, headers: { location: `/lus${req.path.length}.xml` } }));
    await expect(fetchPage('/lus.xml')).rejects.toMatchObject({ name: 'SourceError', reason: 'other', message: expect.stringMatching(/more than 5 redirects/) });
    expect(server.requests).toHaveLength(6);
  });

  it('disables the source on 410 Gone', async () => {
    server.route('GET', '/weg.xml', { status: 410, body: 'Gone' });
    const page = await fetchPage('/weg.xml');
    expect(page.items).toEqual([]);
    expect(page.disable).toMatch(/410 Gone/);
  });

  it('reports 404 as not_found', async () => {
    server.route('GET', '/bestaat-niet.xml', { status: 404, body: fixture('rss', 'error-page.html') });
    await expect(fetchPage('/bestaat-niet.xml')).rejects.toMatchObject({ name: 'SourceError', reason: 'not_found' });
  });

  it('reports an HTML page served with 200 as a source problem', async () => {
    server.route('GET', '/feed', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: fixture('rss', 'error-page.html') });
    const error = await fetchPage('/feed').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ reason: 'other', message: expect.stringMatching(/HTML page, not a feed/) });
  });
});

describe('RSS formats over HTTP', () => {
  it.each([
    ['gemeente-atom.xml', 'application/atom+xml', 'atom', 2],
    ['politie-rdf.xml', 'application/rdf+xml', 'rdf', 2],
    ['google-news-search.xml', 'application/rss+xml; charset=UTF-8', 'rss', 2],
  ])('parses %s', async (file, type, format, count) => {
    server.route('GET', '/feed', { headers: { 'content-type': type }, body: fixture('rss', file), gzip: true });
    const page = await fetchPage('/feed');
    expect(page.items.map((i) => i.format)).toEqual(Array(count).fill(format));
    expect(page.items.map((i) => rssCollector.map(i, config('/feed')).text).every((t) => t.length > 10)).toBe(true);
  });

  it('decodes a feed in ISO-8859-1', async () => {
    server.route('GET', '/latin1.xml', { headers: { 'content-type': 'text/xml' }, body: readFileSync(join(ROOT, 'fixtures/sources/rss/regio-latin1.xml')) });
    const page = await fetchPage('/latin1.xml');
    expect(rssCollector.map(page.items[0]!, config('/latin1.xml')).text).toContain('café-controle');
  });

  it('retries a timed-out request and then collects', async () => {
    const http = new HttpClient({ timeoutMs: 300, baseBackoffMs: 10, maxWaitMs: 5_000 });
    try {
      server.route('GET', '/traag.xml', inOrder({ delayMs: 1_000, headers: RSS, body: fixture('rss', 'politie-rdf.xml') }, { headers: RSS, body: fixture('rss', 'politie-rdf.xml') }));
      const page = await rssCollector.fetchPage(config('/traag.xml'), null, { ...ctx, http });
      expect(page.items).toHaveLength(2);
      expect(server.requests).toHaveLength(2);
    } finally {
      await http.close();
    }
  });
});
