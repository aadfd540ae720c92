import { WebSocket } from 'undici';
import { USER_AGENT } from '../http.js';
import { createPrefilter, DEFAULT_LANGUAGES } from '../prefilter.js';
import { MalformedItemError, type CollectionGap, type FetchContext, type Page } from '../types.js';
import type { JetstreamConfig } from './config.js';
import { classifyJetstreamFrame, mapJetstreamPost, POST_COLLECTION, type BlueskyRaw, type JetstreamPost } from './map.js';

/**
 * The time_us of the last event the page consumed (kept, filtered or skipped), plus the keys of
 * the events consumed at exactly that time: Jetstream replays from a cursor inclusively, and
 * these let the next page skip what it already saw without skipping a same-time neighbour.
 */
export interface JetstreamCursor { mode: 'jetstream'; timeUs: number; consumed: string[] }

type ConnectionEnd = { end: 'maxEvents' | 'timeout' | 'closed' | 'dropped'; detail: string } | { end: 'failed'; detail: string; error: unknown };

const CLOSE_GRACE_MS = 3_000;

/** Reads one connection until `onFrame` says stop, the deadline passes or the socket closes. */
function readConnection(url: string, deadline: number, onFrame: (frame: string) => 'continue' | 'stop'): Promise<ConnectionEnd> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers: { 'user-agent': USER_AGENT } });
    socket.binaryType = 'arraybuffer';
    let ending: ConnectionEnd | null = null;
    let graceTimer: NodeJS.Timeout | undefined;
    const settle = () => { clearTimeout(deadlineTimer); clearTimeout(graceTimer); resolve(ending!); };
    const finish = (end: ConnectionEnd) => {
      if (ending) return;
      ending = end;
      clearTimeout(deadlineTimer);
      // Close cleanly and wait for the close handshake, so no socket outlives the page.
      socket.close(1000, 'page complete');
      graceTimer = setTimeout(settle, CLOSE_GRACE_MS);
    };
    const deadlineTimer = setTimeout(() => finish({ end: 'timeout', detail: 'maxSeconds reached' }), Math.max(0, deadline - Date.now()));
    socket.addEventListener('message', (event) => {
      if (ending) return;
      const data = typeof event.data === 'string' ? event.data : Buffer.from(event.data as ArrayBuffer).toString('utf8');
      try {
        if (onFrame(data) === 'stop') finish({ end: 'maxEvents', detail: 'maxEvents reached' });
      } catch (error) {
        // A listener must not throw into the event loop; fetchPage rethrows it.
        finish({ end: 'failed', detail: 'frame handling failed', error });
      }
    });
    socket.addEventListener('error', (event) => {
      ending ??= { end: 'dropped', detail: event.error instanceof Error ? event.error.message : event.message || 'WebSocket error' };
      graceTimer ??= setTimeout(settle, CLOSE_GRACE_MS);
    });
    socket.addEventListener('close', (event) => {
      const clean = event.code === 1000 || event.code === 1001;
      ending ??= { end: clean ? 'closed' : 'dropped', detail: `closed with code ${event.code}${event.reason ? ` (${event.reason})` : ''}` };
      settle();
    });
  });
}

function subscribeUrl(base: string, timeUs: number): string {
  const url = new URL(base);
  url.searchParams.set('wantedCollections', POST_COLLECTION);
  url.searchParams.set('cursor', String(timeUs));
  return url.toString();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function fetchJetstreamPage(config: JetstreamConfig, cursor: JetstreamCursor | null, ctx: FetchContext): Promise<Page<BlueskyRaw, JetstreamCursor>> {
  const languages = config.prefilter.languages ?? DEFAULT_LANGUAGES;
  const prefilter = createPrefilter(config.prefilter);
  let position = cursor?.timeUs ?? ctx.now().getTime() * 1000;
  let consumed = new Set(cursor?.consumed ?? []);
  const items: BlueskyRaw[] = [];
  const deleted: string[] = [];
  const prefiltered: Record<string, number> = {};
  const drop = (reason: string) => { prefiltered[reason] = (prefiltered[reason] ?? 0) + 1; };
  let frames = 0;
  let gap: CollectionGap | undefined;
  let connectedAt = position;
  let firstOfConnection = true;
  // A page without a cursor starts at the live edge: there is nothing to have missed.
  let resuming = cursor !== null;

  const onFrame = (frame: string): 'continue' | 'stop' => {
    const event = classifyJetstreamFrame(frame);
    if (event.type === 'malformed') {
      items.push({ via: 'jetstream', frame }); // map rejects it, so the run counts it as failed
    } else {
      // At or before the cursor and already consumed: a resumed stream repeating itself.
      if (event.timeUs < position || (event.timeUs === position && consumed.has(event.key))) return 'continue';
      if (firstOfConnection && resuming && event.timeUs - connectedAt > config.maxCursorJumpSeconds * 1e6) {
        const minutes = Math.round((event.timeUs - connectedAt) / 60e6);
        gap = { reason: 'lookback_exceeded', detail: `Jetstream resumed ${minutes} min after the cursor (${new Date(connectedAt / 1000).toISOString()}): its replay window no longer holds the events in between` };
      }
      firstOfConnection = false;
      if (event.timeUs > position) { position = event.timeUs; consumed = new Set(); }
      consumed.add(event.key);
      if (event.type === 'delete') deleted.push(event.uri);
      else if (event.type === 'post') keepOrDrop(frame, event);
    }
    return ++frames >= config.maxEvents ? 'stop' : 'continue';
  };

  const keepOrDrop = (frame: string, post: JetstreamPost) => {
    const raw: BlueskyRaw = { via: 'jetstream', frame };
    if (post.text === null) { items.push(raw); return; }
    if (post.text.trim() === '') { drop('no_text'); return; } // image-only posts: nothing to classify
    try {
      const verdict = prefilter(mapJetstreamPost(post, languages));
      if (verdict.keep) items.push(raw);
      else drop(verdict.reason);
    } catch (error) {
      if (!(error instanceof MalformedItemError)) throw error;
      items.push(raw);
    }
  };

  const deadline = Date.now() + config.maxSeconds * 1000;
  let failures = 0;
  let end: ConnectionEnd;
  for (;;) {
    const framesBefore = frames;
    connectedAt = position;
    firstOfConnection = true;
    end = await readConnection(subscribeUrl(config.jetstreamUrl, position), deadline, onFrame);
    if (end.end === 'failed') throw end.error;
    if (end.end !== 'dropped') break;
    resuming = true;
    failures = frames > framesBefore ? 1 : failures + 1;
    if (failures > config.reconnectAttempts) {
      gap = { reason: 'outage', detail: `Jetstream connection lost and ${config.reconnectAttempts} reconnects failed: ${end.detail}` };
      break;
    }
    const wait = Math.min(config.reconnectBackoffMs * 2 ** (failures - 1), deadline - Date.now());
    if (wait < 0) break;
    await sleep(wait);
  }
  return {
    items,
    nextCursor: { mode: 'jetstream', timeUs: position, consumed: [...consumed] },
    // Only a page cut short by maxEvents knows there is a backlog; otherwise we are at the live edge.
    done: end.end !== 'maxEvents',
    ...(gap ? { gap } : {}),
    ...(deleted.length ? { deletedExternalIds: deleted } : {}),
    ...(Object.keys(prefiltered).length ? { prefiltered } : {}),
  };
}
