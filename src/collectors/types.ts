import type { z } from 'zod';
import type { CollectedPost } from '../domain/types.js';
import type { HttpClient } from './http.js';

/** A stretch of time or content a run could not see, so analysts know what is missing. */
export interface CollectionGap {
  reason: 'rate_limited' | 'outage' | 'lookback_exceeded' | 'auth' | 'not_found' | 'other';
  detail: string;
}

export interface Page<Raw, Cursor, Config = unknown> {
  items: Raw[];
  /** Where the next page starts; saved only after this page's posts are committed. */
  nextCursor: Cursor;
  /** Nothing more to fetch right now. */
  done: boolean;
  gap?: CollectionGap;
  /** Posts the platform says were deleted: their text is removed, the fact kept for counts. */
  deletedExternalIds?: string[];
  /** Config changes the source itself announced, e.g. a feed's permanent redirect. */
  configPatch?: Partial<Config>;
  /** The source is gone for good (e.g. HTTP 410): disable it with this reason. */
  disable?: string;
  /**
   * Items the collector itself left out by the prefilter's rules (e.g. a firehose filtered while
   * reading), per reason; added to the run's filtered counts as if the prefilter had dropped them.
   */
  prefiltered?: Record<string, number>;
}

/** What a collector may use for I/O; the same shared client for every collector. */
export interface FetchContext {
  http: HttpClient;
  /** Secrets such as access tokens, from the environment, never stored in the source row. */
  secret(name: string): string | undefined;
  now(): Date;
  /** Process-local memory for short-lived things like OAuth tokens and sessions; never persisted. */
  state: Map<string, unknown>;
}

/**
 * A problem with the source itself (login required, unknown tag or feed, bad credentials):
 * retrying will not help, a person has to act. Recorded on the run and the source's health.
 */
export class SourceError extends Error {
  constructor(readonly reason: CollectionGap['reason'], message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

/** A secret the source cannot work without; its absence is an auth problem a person must fix. */
export function requireSecret(ctx: Pick<FetchContext, 'secret'>, name: string): string {
  const value = ctx.secret(name);
  if (!value) throw new SourceError('auth', `secret ${name} is not set (KS_SECRET_${name})`);
  return value;
}

/** Thrown by `map` for one malformed item: the item is counted as failed and skipped. */
export class MalformedItemError extends Error {
  constructor(message: string, readonly where?: string) {
    super(message);
    this.name = 'MalformedItemError';
  }
}

/** "path: message" for a zod error's first issue; `root` names the value itself when the path is empty. */
export function firstIssue(error: z.ZodError, root = 'value'): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || root}: ${issue.message}`;
}

/** The parsed item, or a MalformedItemError naming its first problem and where the item came from. */
export function parseItem<T>(schema: z.ZodType<T>, data: unknown, where: string, root: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new MalformedItemError(firstIssue(parsed.error, root), where);
}

/**
 * The contract every source implements. `fetchPage` does I/O; `map` is pure and turns one raw
 * payload in the platform's own format into a post, or throws MalformedItemError.
 */
export interface Collector<Config = unknown, Cursor = unknown, Raw = unknown> {
  readonly kind: string;
  /** The platform name used when pseudonymising handles. */
  readonly platform: string;
  readonly configSchema: z.ZodType<Config>;
  /** Platform searches return noise and get the keyword/language prefilter; curated imports do not, unless configured. */
  readonly prefilterByDefault: boolean;
  fetchPage(config: Config, cursor: Cursor | null, ctx: FetchContext): Promise<Page<Raw, Cursor, Config>>;
  map(raw: Raw, config: Config): CollectedPost;
}

// Each collector fixes its own types; the registry holds them side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCollector = Collector<any, any, any>;
