import type { CollectionGap } from '../types.js';
import type { PageParams, StatusPage } from './client.js';

/** A walk from the newest post down to a floor (the last run's newest id, or the lookback time). */
export interface Sweep {
  /** Next request's `max_id`. */
  maxId: string;
  /** Newest id seen when the walk began: becomes `newestId` once the walk reaches the floor. */
  topId: string;
  /** Lookback limit (ISO time) on a first run; null when the floor is `newestId`. */
  until: string | null;
  pages: number;
}

export interface FeedCursor {
  /** Everything up to this id is collected. */
  newestId: string | null;
  sweep: Sweep | null;
}

export interface StepOptions {
  pageSize: number;
  /** Oldest creation time a first run back-fills to. */
  lookbackStart: string;
  maxBackfillPages: number;
}

export interface StepResult {
  statuses: unknown[];
  cursor: FeedCursor;
  /** This feed has nothing more right now. */
  finished: boolean;
  gap?: CollectionGap;
}

export type Loader = (params: Omit<PageParams, 'limit'>) => Promise<StatusPage>;

/** Mastodon ids are numeric strings of growing length, other servers' fixed-length sortable strings: length, then code units. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

const idOf = (s: unknown): string | null => {
  const id = (s as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id !== '' ? id : null;
};
const createdOf = (s: unknown): number => Date.parse(String((s as { created_at?: unknown } | null)?.created_at));

function maxId(ids: (string | null)[]): string | null {
  return ids.reduce<string | null>((top, id) => (id !== null && (top === null || compareIds(id, top) > 0) ? id : top), null);
}
function minId(ids: (string | null)[]): string | null {
  return ids.reduce<string | null>((low, id) => (id !== null && (low === null || compareIds(id, low) < 0) ? id : low), null);
}

interface Window { below: string | null; above: string | null; until: string | null }

/** Statuses inside the window; ones without a readable id or date stay in so `map` can reject them. */
function inside(statuses: unknown[], w: Window): unknown[] {
  const until = w.until ? Date.parse(w.until) : null;
  return statuses.filter((s) => {
    const id = idOf(s);
    if (id !== null && w.below !== null && compareIds(id, w.below) >= 0) return false;
    if (id !== null && w.above !== null && compareIds(id, w.above) <= 0) return false;
    return !(until !== null && createdOf(s) < until);
  });
}

/** The page reached the floor, or the server says there is nothing older. */
function reachedBottom(page: StatusPage, w: Window, pageSize: number, timeline: boolean): boolean {
  const until = w.until ? Date.parse(w.until) : null;
  const atFloor = page.statuses.some((s) => {
    const id = idOf(s);
    return (id !== null && w.above !== null && compareIds(id, w.above) <= 0) || (until !== null && createdOf(s) < until);
  });
  // Search answers carry no Link header; a timeline that sends one but no rel="next" has no older page.
  const noNext = timeline && page.hasLink && page.nextMaxId === null;
  return atFloor || noNext || page.statuses.length < pageSize;
}

/** Guards against a server that ignores max_id (or a replayed page): only ids we did not have count. */
const progressed = (statuses: unknown[]) => statuses.some((s) => idOf(s) !== null);

/**
 * One request for one feed. Hashtag timelines page forward with `min_id` once they have a newest
 * id; the first run (and every search, whose `min_id` only filters and still returns the newest
 * results) walks down from the newest post with `max_id` until it reaches the floor. `newestId`
 * only moves when every page above it has been returned, so a crash never skips posts.
 */
export async function stepFeed(load: Loader, timeline: boolean, state: FeedCursor, o: StepOptions): Promise<StepResult> {
  if (state.sweep) return continueSweep(load, timeline, state, state.sweep, o);
  if (timeline && state.newestId) return forward(load, state.newestId, o);
  return fromTop(load, timeline, state.newestId, o);
}

async function forward(load: Loader, newestId: string, o: StepOptions): Promise<StepResult> {
  const page = await load({ min_id: newestId });
  const fresh = inside(page.statuses, { below: null, above: newestId, until: null });
  const top = maxId([newestId, ...fresh.map(idOf)])!;
  return { statuses: fresh, cursor: { newestId: top, sweep: null }, finished: page.statuses.length < o.pageSize || !progressed(fresh) };
}

async function fromTop(load: Loader, timeline: boolean, floorId: string | null, o: StepOptions): Promise<StepResult> {
  const w: Window = { below: null, above: floorId, until: floorId ? null : o.lookbackStart };
  const page = await load(floorId ? { min_id: floorId } : {});
  const statuses = inside(page.statuses, w);
  // Raw ids: what is left out is older than the lookback or not public, and never wanted.
  const topId = maxId([floorId, ...page.statuses.map(idOf)]);
  const next = page.nextMaxId ?? minId(page.statuses.map(idOf));
  if (!topId || !next || !progressed(statuses) || reachedBottom(page, w, o.pageSize, timeline)) {
    return { statuses, cursor: { newestId: topId, sweep: null }, finished: true };
  }
  return { statuses, cursor: { newestId: floorId, sweep: { maxId: next, topId, until: w.until, pages: 1 } }, finished: false };
}

async function continueSweep(load: Loader, timeline: boolean, state: FeedCursor, sweep: Sweep, o: StepOptions): Promise<StepResult> {
  const w: Window = { below: sweep.maxId, above: state.newestId, until: sweep.until };
  const page = await load({ max_id: sweep.maxId, ...(state.newestId ? { min_id: state.newestId } : {}) });
  const statuses = inside(page.statuses, w);
  const next = page.nextMaxId ?? minId(page.statuses.map(idOf));
  const done = { newestId: sweep.topId, sweep: null };
  if (!next || !progressed(statuses) || reachedBottom(page, w, o.pageSize, timeline)) return { statuses, cursor: done, finished: true };
  if (sweep.pages + 1 >= o.maxBackfillPages) {
    const oldest = statuses.map(createdOf).filter((t) => !Number.isNaN(t)).sort((a, b) => a - b)[0];
    const from = oldest === undefined ? `id ${next}` : new Date(oldest).toISOString();
    const to = sweep.until ?? `id ${state.newestId}`;
    return { statuses, cursor: done, finished: true, gap: { reason: 'lookback_exceeded', detail: `stopped after ${sweep.pages + 1} pages; posts between ${to} and ${from} were not collected` } };
  }
  return { statuses, cursor: { newestId: state.newestId, sweep: { ...sweep, maxId: next, pages: sweep.pages + 1 } }, finished: false };
}
