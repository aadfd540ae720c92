import type { HttpClient, HttpResponse } from '../http.js';
import { SourceError } from '../types.js';

export const MAX_REDIRECTS = 5;
const PERMANENT = new Set([301, 308]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);

export interface Validators { etag: string | null; lastModified: string | null }

export type FeedResponse =
  | { status: 'ok'; body: string; validators: Validators; finalUrl: string; movedTo: string | null }
  | { status: 'not_modified'; movedTo: string | null }
  | { status: 'gone'; finalUrl: string; movedTo: string | null };

/** The body as text in the charset the server or the XML declaration names (feeds in ISO-8859-1 still exist). */
export function decodeBody(body: Buffer, contentType: string | undefined): string {
  const head = body.subarray(0, 200).toString('latin1');
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ?? /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset.toLowerCase()).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/**
 * Fetches a feed with a conditional GET, following redirects itself so it knows where the feed
 * moved to: `movedTo` is the URL reached through permanent redirects only (301/308) from the
 * configured one, the URL the source should be stored under from now on.
 */
export async function fetchFeed(http: HttpClient, url: string, validators: Validators | null): Promise<FeedResponse> {
  const headers: Record<string, string> = {
    accept: 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1',
  };
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  let current = url;
  let movedTo: string | null = null;
  let onlyPermanent = true;
  for (let hop = 0; ; hop++) {
    const res: HttpResponse = await http.request(current, { headers, accept: [301, 302, 303, 307, 308, 304, 401, 403, 404, 410] });
    if (REDIRECT.has(res.status)) {
      if (hop === MAX_REDIRECTS) throw new SourceError('other', `more than ${MAX_REDIRECTS} redirects, last to ${current}`);
      const location = res.headers.location;
      if (!location) throw new SourceError('other', `HTTP ${res.status} without a Location from ${current}`);
      current = new URL(location, current).href;
      onlyPermanent &&= PERMANENT.has(res.status);
      if (onlyPermanent) movedTo = current;
      continue;
    }
    if (res.status === 304) return { status: 'not_modified', movedTo };
    if (res.status === 410) return { status: 'gone', finalUrl: current, movedTo };
    if (res.status === 404) throw new SourceError('not_found', `feed not found (HTTP 404) at ${current}`);
    if (res.status === 401 || res.status === 403) throw new SourceError('auth', `feed refused (HTTP ${res.status}) at ${current}`);
    return {
      status: 'ok',
      body: decodeBody(res.body, res.headers['content-type']),
      validators: { etag: res.headers.etag ?? null, lastModified: res.headers['last-modified'] ?? null },
      finalUrl: current,
      movedTo,
    };
  }
}
