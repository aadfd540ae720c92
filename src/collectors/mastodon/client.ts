import type { HttpClient, HttpResponse } from '../http.js';
import { SourceError } from '../types.js';

/** One thing to follow on one instance: a group of hashtags (one request via `any[]`) or a search query. */
export interface FeedSpec {
  /** Stable key of this feed in the cursor. */
  key: string;
  /** For people reading gaps and errors. */
  label: string;
  kind: 'tags' | 'search';
  baseUrl: string;
  /** Account domain for handles of the instance's local users. */
  domain: string;
  tags: string[];
  query: string;
  accessTokenSecret?: string;
}

export interface PageParams { max_id?: string; min_id?: string; limit: number }

export interface StatusPage {
  statuses: unknown[];
  /** `max_id` of the Link header's rel="next" (older posts), when the server sent one. */
  nextMaxId: string | null;
  /** The server sent a Link header; then a missing rel="next" means there is nothing older. */
  hasLink: boolean;
}

export function feedUrl(feed: FeedSpec, params: PageParams): string {
  const query = new URLSearchParams();
  let path: string;
  if (feed.kind === 'tags') {
    const [first, ...more] = feed.tags;
    path = `/api/v1/timelines/tag/${encodeURIComponent(first!)}`;
    for (const tag of more) query.append('any[]', tag);
  } else {
    path = '/api/v2/search';
    query.set('q', feed.query);
    query.set('type', 'statuses');
    query.set('resolve', 'false');
  }
  query.set('limit', String(params.limit));
  if (params.max_id) query.set('max_id', params.max_id);
  if (params.min_id) query.set('min_id', params.min_id);
  return `${feed.baseUrl}${path}?${query}`;
}

/** `<https://…?max_id=1>; rel="next", <https://…?min_id=9>; rel="prev"` → rel → URL. */
export function parseLinkHeader(header: string | undefined): Map<string, URL> {
  const links = new Map<string, URL>();
  for (const match of (header ?? '').matchAll(/<([^>]+)>\s*;\s*rel="?([^";,]+)"?/g)) {
    try { links.set(match[2]!.trim(), new URL(match[1]!)); } catch { /* not a URL: ignore the link */ }
  }
  return links;
}

function errorText(res: HttpResponse): string {
  try {
    const body = res.json<{ error?: unknown }>();
    if (typeof body?.error === 'string') return `: ${body.error}`;
  } catch { /* not JSON */ }
  return '';
}

/**
 * Fetches one page of statuses. Problems that need a person become SourceErrors here (login
 * required, unknown tag or instance path, a body that is not Mastodon JSON); rate limits and 5xx
 * are the shared client's business and propagate as its errors.
 */
export async function fetchStatuses(http: HttpClient, feed: FeedSpec, token: string | undefined, params: PageParams): Promise<StatusPage> {
  const res = await http.request(feedUrl(feed, params), {
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    accept: [400, 401, 403, 404, 410, 422],
  });
  if (res.status === 401 || res.status === 403) {
    throw new SourceError('auth', `HTTP ${res.status}${errorText(res)}${token ? ' (check the access token)' : ' (the instance requires login: configure accessTokenSecret)'}`);
  }
  if (res.status === 404 || res.status === 410) throw new SourceError('not_found', `HTTP ${res.status}${errorText(res)} for ${new URL(res.url).pathname}`);
  if (res.status >= 400) throw new SourceError('other', `HTTP ${res.status}${errorText(res)}`);
  let body: unknown;
  try {
    body = res.json();
  } catch {
    throw new SourceError('other', `answer is not JSON (${res.headers['content-type'] ?? 'no content-type'}): ${res.text().slice(0, 80).replace(/\s+/g, ' ')}`);
  }
  const statuses = feed.kind === 'tags' ? body : (body as { statuses?: unknown } | null)?.statuses;
  if (!Array.isArray(statuses)) throw new SourceError('other', `answer is not a list of statuses: ${JSON.stringify(body)?.slice(0, 80)}`);
  const links = parseLinkHeader(res.headers.link);
  return { statuses, nextMaxId: links.get('next')?.searchParams.get('max_id') ?? null, hasLink: links.size > 0 };
}
