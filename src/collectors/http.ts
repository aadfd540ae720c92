import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import type { CollectionGap } from './types.js';

/**
 * The one HTTP client every collector uses: undici with gzip/deflate/brotli decoding, a
 * descriptive User-Agent, timeouts, per-host concurrency and pacing, Retry-After and the
 * platforms' rate-limit headers honoured, and exponential backoff with full jitter on 5xx and
 * network errors.
 */
export const USER_AGENT = 'klachtsignaal/0.1 (+https://github.com/klachtsignaal/klachtsignaal; public-post complaint monitor)';

export interface HostPolicy {
  /** Requests in flight to one host at most. */
  concurrency: number;
  /** Minimum gap between two request starts to one host. */
  minIntervalMs: number;
}

export interface HttpOptions {
  userAgent?: string;
  timeoutMs?: number;
  /** Attempts for 5xx, 429 and network errors, including the first. */
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** A Retry-After or rate-limit reset further away than this is not waited for: RateLimitedError. */
  maxWaitMs?: number;
  defaultPolicy?: HostPolicy;
  policies?: Record<string, HostPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'HEAD';
  headers?: Record<string, string>;
  body?: string;
  /** Statuses returned to the caller instead of retried or thrown (e.g. 304, 404, 410). */
  accept?: number[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  url: string;
  body: Buffer;
  text(): string;
  json<T = unknown>(): T;
}

export class HttpError extends Error {
  constructor(readonly status: number, readonly url: string, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The host asked us to wait longer than we are willing to within one run. */
export class RateLimitedError extends Error {
  constructor(readonly url: string, readonly retryAt: Date) {
    super(`rate limited by ${new URL(url).host} until ${retryAt.toISOString()}`);
    this.name = 'RateLimitedError';
  }
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'EAI_AGAIN']);

/**
 * The failures that end a run early but cleanly, as a gap to record: a rate limit, a server error,
 * or the network itself (connection, timeout, DNS). Anything else is the caller's to judge.
 */
export function transientGap(error: unknown): CollectionGap | null {
  if (error instanceof RateLimitedError) return { reason: 'rate_limited', detail: error.message };
  if (error instanceof HttpError && error.status >= 500) return { reason: 'outage', detail: error.message };
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(ECONN|ETIMEDOUT|UND_ERR|EAI_AGAIN|EPIPE)/.test(code)) return { reason: 'outage', detail: `${code}: ${(error as Error).message}` };
  return null;
}

/** When a response says we may call again: Retry-After, or a rate-limit window with nothing left. */
export function waitFromHeaders(headers: Record<string, string>, now = Date.now()): number | null {
  const retryAfter = headers['retry-after'];
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const remaining = headers['x-ratelimit-remaining'] ?? headers['ratelimit-remaining'];
  const reset = headers['x-ratelimit-reset'] ?? headers['ratelimit-reset'];
  if (remaining !== undefined && reset !== undefined && Number(remaining) < 1) return resetToDelay(reset, now);
  return null;
}

/** Mastodon sends an ISO time, Bluesky epoch seconds, Reddit and the IETF draft seconds to go. */
function resetToDelay(reset: string, now: number): number | null {
  const n = Number(reset);
  if (Number.isFinite(n)) return Math.max(0, n > 1e9 ? n * 1000 - now : n * 1000);
  const at = Date.parse(reset);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const DECODERS: Record<string, (b: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip), 'x-gzip': promisify(gunzip), deflate: promisify(inflate), br: promisify(brotliDecompress),
};

async function decode(body: Buffer, encoding: string | undefined): Promise<Buffer> {
  const decoder = encoding ? DECODERS[encoding.trim().toLowerCase()] : undefined;
  return decoder && body.length > 0 ? decoder(body) : body;
}

interface HostState { active: number; nextStart: number; blockedUntil: number; waiters: (() => void)[] }

export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly hosts = new Map<string, HostState>();
  private readonly o: Required<Omit<HttpOptions, 'policies'>> & { policies: Record<string, HostPolicy> };

  constructor(options: HttpOptions = {}) {
    this.o = {
      userAgent: options.userAgent ?? USER_AGENT,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAttempts: options.maxAttempts ?? 4,
      baseBackoffMs: options.baseBackoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      maxWaitMs: options.maxWaitMs ?? 120_000,
      defaultPolicy: options.defaultPolicy ?? { concurrency: 2, minIntervalMs: 250 },
      policies: options.policies ?? {},
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      random: options.random ?? Math.random,
    };
    this.dispatcher = new Agent({ headersTimeout: this.o.timeoutMs, bodyTimeout: this.o.timeoutMs, connectTimeout: 10_000 });
  }

  async request(url: string, req: HttpRequest = {}): Promise<HttpResponse> {
    const host = new URL(url).host;
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.o.maxAttempts; attempt++) {
      const release = await this.acquire(host);
      let response: HttpResponse;
      try {
        response = await this.send(url, req);
      } catch (error) {
        release();
        lastError = error;
        const code = (error as { code?: string }).code ?? '';
        if (!RETRYABLE_CODES.has(code) || attempt === this.o.maxAttempts) throw error;
        await this.o.sleep(this.backoff(attempt));
        continue;
      }
      release();
      const wait = waitFromHeaders(response.headers);
      if (wait !== null && wait > 0) this.block(host, wait);
      if (req.accept?.includes(response.status) || (response.status >= 200 && response.status < 300)) return response;
      if (RETRYABLE_STATUS.has(response.status) && attempt < this.o.maxAttempts) {
        const delay = wait ?? this.backoff(attempt);
        if (delay > this.o.maxWaitMs) throw new RateLimitedError(url, new Date(Date.now() + delay));
        await this.o.sleep(delay);
        continue;
      }
      if (response.status === 429) throw new RateLimitedError(url, new Date(Date.now() + (wait ?? 60_000)));
      throw new HttpError(response.status, url, `${req.method ?? 'GET'} ${url} answered ${response.status}`);
    }
    throw lastError;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async send(url: string, req: HttpRequest): Promise<HttpResponse> {
    const res = await request(url, {
      method: req.method ?? 'GET',
      headers: { 'user-agent': this.o.userAgent, 'accept-encoding': 'gzip, deflate, br', ...req.headers },
      ...(req.body !== undefined ? { body: req.body } : {}),
      dispatcher: this.dispatcher,
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const body = await decode(Buffer.from(await res.body.arrayBuffer()), headers['content-encoding']);
    return {
      status: res.statusCode,
      headers,
      url,
      body,
      text: () => body.toString('utf8'),
      json: <T>() => JSON.parse(body.toString('utf8')) as T,
    };
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.o.maxBackoffMs, this.o.baseBackoffMs * 2 ** (attempt - 1));
    return Math.round(this.o.random() * cap);
  }

  private policy(host: string): HostPolicy {
    return this.o.policies[host] ?? this.o.defaultPolicy;
  }

  private state(host: string): HostState {
    let s = this.hosts.get(host);
    if (!s) { s = { active: 0, nextStart: 0, blockedUntil: 0, waiters: [] }; this.hosts.set(host, s); }
    return s;
  }

  private block(host: string, ms: number): void {
    const s = this.state(host);
    s.blockedUntil = Math.max(s.blockedUntil, Date.now() + Math.min(ms, this.o.maxWaitMs));
  }

  /** Waits for a free slot on the host and its pacing/blocking window; returns the release. */
  private async acquire(host: string): Promise<() => void> {
    const s = this.state(host);
    const policy = this.policy(host);
    while (s.active >= policy.concurrency) await new Promise<void>((r) => s.waiters.push(r));
    s.active++;
    const start = Math.max(Date.now(), s.nextStart, s.blockedUntil);
    s.nextStart = start + policy.minIntervalMs;
    const delay = start - Date.now();
    if (delay > 0) await this.o.sleep(delay);
    return () => {
      s.active--;
      s.waiters.shift()?.();
    };
  }
}
