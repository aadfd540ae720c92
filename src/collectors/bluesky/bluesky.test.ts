import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchContext } from '../../../tests/support/fixtures.js';
import { fixture, jetstreamReplay, startReplayServer, type JetstreamReplayOptions, type ReplayServer } from '../../../tests/support/replay-server.js';
import { createPrefilter } from '../prefilter.js';
import { MalformedItemError, type FetchContext } from '../types.js';
import { blueskyCollector, type BlueskyCursor } from './index.js';
import type { JetstreamCursor } from './jetstream.js';
import type { BlueskyRaw } from './map.js';

/** Jetstream mode through undici's WebSocket against a local replay of recorded frames. */
const frames = fixture('bluesky', 'jetstream-page.jsonl').split('\n').filter((l) => l !== '');
const timeOf = (n: number) => (JSON.parse(frames[n - 1]!) as { time_us: number }).time_us;
const START: JetstreamCursor = { mode: 'jetstream', timeUs: Date.parse('2026-11-20T18:32:04Z') * 1000, consumed: [] };

const KEPT_TEXTS = [
  'De politie hield me vanavond zonder reden staande bij station Sloterdijk. Echt niet oké.',
  'Cops in Rotterdam shoved my friend for filming them. Unbelievable.',
  'agent op de fiets reed me bijna aan en schold me daarna uit',
  'Gisteren aangifte gedaan op het politiebureau in Utrecht, ze namen me niet serieus.',
  'Wijkagent kwam eindelijk langs over de overlast, politie doet wel iets',
  'Politie Amsterdam <3 voor de snelle hulp & uitleg, <b>top</b>',
];
const DELETED = ['at://did:plc:m6hu2zx2zdqttidvz7ora35t/app.bsky.feed.post/3mbq7tzkc5s2d'];

let server: ReplayServer;
let ctx: FetchContext;
beforeEach(async () => { server = await startReplayServer(); ctx = fetchContext(); });
afterEach(async () => { await ctx.http.close(); await server.close(); });

function config(overrides: Record<string, unknown> = {}) {
  return blueskyCollector.configSchema.parse({ mode: 'jetstream', jetstreamUrl: `${server.wsUrl}/subscribe`, maxSeconds: 5, reconnectBackoffMs: 10, ...overrides });
}

function replay(options: JetstreamReplayOptions = {}) {
  server.websocket('/subscribe', jetstreamReplay(frames, options));
}

function mapAll(items: BlueskyRaw[], cfg: ReturnType<typeof config>) {
  const texts: string[] = [];
  let malformed = 0;
  for (const item of items) {
    try { texts.push(blueskyCollector.map(item, cfg).text); } catch (error) {
      if (!(error instanceof MalformedItemError)) throw error;
      malformed++;
    }
  }
  return { texts, malformed };
}

const subscriptions = () => server.requests.filter((r) => r.path === '/subscribe');

describe('bluesky jetstream', () => {
  it('reads from the cursor, keeps only matching posts, counts what it dropped and reports deletes', async () => {
    replay();
    const cfg = config();
    const page = await blueskyCollector.fetchPage(cfg, START, ctx);
    expect(mapAll(page.items, cfg)).toEqual({ texts: KEPT_TEXTS, malformed: 2 });
    expect(page.deletedExternalIds).toEqual(DELETED);
    expect(page.prefiltered).toEqual({ language: 1, no_keyword: 1, no_text: 1 });
    expect(page.nextCursor).toMatchObject({ mode: 'jetstream', timeUs: timeOf(14) });
    expect(page.done).toBe(true);
    expect(page.gap).toBeUndefined();
    const [request] = subscriptions();
    expect(request!.query.get('wantedCollections')).toBe('app.bsky.feed.post');
    expect(request!.query.get('cursor')).toBe(String(START.timeUs));
    expect(request!.headers['user-agent']).toMatch(/^klachtsignaal\//);
    // What the collect service's prefilter will see: it agrees with the local filter on every kept post.
    const prefilter = createPrefilter(cfg.prefilter);
    for (const item of page.items) {
      try { expect(prefilter(blueskyCollector.map(item, cfg))).toEqual({ keep: true }); } catch (e) { if (!(e instanceof MalformedItemError)) throw e; }
    }
  });

  it('resumes a dropped socket from the last cursor with no duplicate and no loss', async () => {
    // Frames 6 and 7 share a time_us; the drop falls between them.
    replay({ dropAfter: [6] });
    const cfg = config();
    const page = await blueskyCollector.fetchPage(cfg, START, ctx);
    expect(mapAll(page.items, cfg)).toEqual({ texts: KEPT_TEXTS, malformed: 2 });
    expect(page.deletedExternalIds).toEqual(DELETED);
    expect(page.prefiltered).toEqual({ language: 1, no_keyword: 1, no_text: 1 });
    expect(page.gap).toBeUndefined();
    expect(subscriptions().map((r) => r.query.get('cursor'))).toEqual([String(START.timeUs), String(timeOf(6))]);
  });

  it('gives up after bounded reconnects and returns what it read with an outage gap', async () => {
    replay({ dropAfter: [4, 0, 0, 0, 0] });
    const cfg = config({ reconnectAttempts: 2 });
    const page = await blueskyCollector.fetchPage(cfg, START, ctx);
    expect(mapAll(page.items, cfg).texts).toEqual([KEPT_TEXTS[0]]);
    expect(page.prefiltered).toEqual({ language: 1, no_keyword: 1 });
    expect(page.nextCursor).toMatchObject({ timeUs: timeOf(4) });
    expect(page.gap).toMatchObject({ reason: 'outage' });
    expect(page.done).toBe(true);
    expect(subscriptions()).toHaveLength(3);
  });

  it('keeps its cursor and records an outage when the endpoint cannot be reached', async () => {
    const cfg = config({ jetstreamUrl: `${server.wsUrl}/nowhere`, reconnectAttempts: 1 });
    const page = await blueskyCollector.fetchPage(cfg, START, ctx);
    expect(page.items).toEqual([]);
    expect(page.nextCursor).toEqual(START);
    expect(page.gap).toMatchObject({ reason: 'outage' });
    expect(server.requests).toHaveLength(2);
  });

  it('splits a backlog into pages by maxEvents; a page re-fetched from its cursor yields the same items', async () => {
    replay();
    const cfg = config({ maxEvents: 5 });
    const first = await blueskyCollector.fetchPage(cfg, START, ctx);
    expect(first.done).toBe(false);
    expect(first.nextCursor).toMatchObject({ timeUs: timeOf(5) });
    const second = await blueskyCollector.fetchPage(cfg, first.nextCursor, ctx);
    const again = await blueskyCollector.fetchPage(cfg, first.nextCursor, ctx);
    expect(again.items).toEqual(second.items);
    expect(again.nextCursor).toEqual(second.nextCursor);
    expect(again.deletedExternalIds).toEqual(second.deletedExternalIds);

    const texts: string[] = [];
    let cursor: BlueskyCursor = first.nextCursor;
    texts.push(...mapAll(first.items, cfg).texts);
    for (let i = 0; i < 5; i++) {
      const page = await blueskyCollector.fetchPage(cfg, cursor, ctx);
      texts.push(...mapAll(page.items, cfg).texts);
      cursor = page.nextCursor;
      if (page.done) break;
    }
    expect(texts).toEqual(KEPT_TEXTS);
  });

  it('ends a page on a live stream after maxSeconds and starts at now without a cursor', async () => {
    replay({ end: 'hold' });
    const cfg = config({ maxSeconds: 0.5 });
    const started = Date.now();
    const page = await blueskyCollector.fetchPage(cfg, START, ctx);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(page.done).toBe(true);
    expect(mapAll(page.items, cfg).texts).toEqual(KEPT_TEXTS);

    const fromNow = await blueskyCollector.fetchPage(cfg, null, { ...ctx, now: () => new Date('2026-11-20T18:32:04.400Z') });
    expect(subscriptions().at(-1)!.query.get('cursor')).toBe('1795199524400000');
    expect(mapAll(fromNow.items, cfg).texts).toEqual(KEPT_TEXTS.slice(3));
  });

  it('records a gap when Jetstream resumes far after the cursor (its replay window ran out)', async () => {
    replay();
    const cfg = config({ maxCursorJumpSeconds: 600 });
    const page = await blueskyCollector.fetchPage(cfg, { ...START, timeUs: START.timeUs - 3_600_000_000 }, ctx);
    expect(page.gap).toMatchObject({ reason: 'lookback_exceeded' });
    expect(mapAll(page.items, cfg).texts).toEqual(KEPT_TEXTS);
  });

  it('ignores a cursor left by search mode', async () => {
    replay();
    const page = await blueskyCollector.fetchPage(config(), { mode: 'search', current: null, searches: {} }, { ...ctx, now: () => new Date('2026-11-20T18:32:04.600Z') });
    expect(subscriptions()[0]!.query.get('cursor')).toBe('1795199524600000');
    expect(page.items).toHaveLength(3); // frames 12 (kept), 13 (malformed record), 14 (kept)
  });
});
