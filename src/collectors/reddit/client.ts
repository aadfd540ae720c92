import { z } from 'zod';
import { requireSecret, SourceError, type FetchContext } from '../types.js';
import { thingSchema } from './map.js';

export interface RedditApiConfig {
  apiBase: string;
  authBase: string;
  clientIdSecret: string;
  clientSecretSecret: string;
  userAgentContact: string;
  appId: string;
  appVersion: string;
}

/** Reddit's required format, `<platform>:<app ID>:<version> (by /u/<username>)`; generic agents get throttled. */
export function redditUserAgent(config: Pick<RedditApiConfig, 'appId' | 'appVersion' | 'userAgentContact'>): string {
  return `server:${config.appId}:${config.appVersion} (by /u/${config.userAgentContact})`;
}

const tokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive(),
  scope: z.string().optional(),
});

export const listingSchema = z.object({
  kind: z.literal('Listing'),
  data: z.object({
    after: z.string().nullable(),
    before: z.string().nullable().optional(),
    children: z.array(thingSchema),
  }),
});
export type Listing = z.infer<typeof listingSchema>;

export type ListingResponse =
  | { kind: 'ok'; listing: Listing }
  /** 403 (private, quarantined), 404 (banned) or a redirect (no such subreddit). */
  | { kind: 'unavailable'; status: number; detail: string }
  | { kind: 'malformed'; detail: string };

interface CachedToken { accessToken: string; expiresAt: number }

/**
 * Application-only OAuth (client-credentials grant) plus listing calls. The token lives in
 * `ctx.state` so every source with the same app credentials shares it until shortly before expiry.
 */
export class RedditApi {
  private readonly userAgent: string;

  constructor(private readonly config: RedditApiConfig, private readonly ctx: FetchContext) {
    this.userAgent = redditUserAgent(config);
  }

  async listing(path: string, params: Record<string, string>): Promise<ListingResponse> {
    const url = `${this.config.apiBase}${path}?${new URLSearchParams(params).toString()}`;
    for (let attempt = 1; ; attempt++) {
      const token = await this.token(attempt > 1);
      const res = await this.ctx.http.request(url, {
        headers: { authorization: `bearer ${token}`, 'user-agent': this.userAgent, accept: 'application/json' },
        accept: [301, 302, 401, 403, 404],
      });
      if (res.status === 401) {
        // An expired or revoked token: fetch a fresh one once; a second 401 means the app itself is refused.
        this.ctx.state.delete(this.stateKey());
        if (attempt === 1) continue;
        throw new SourceError('auth', `Reddit refused a freshly issued token for ${path} (401)`);
      }
      if (res.status === 301 || res.status === 302 || res.status === 403 || res.status === 404) {
        return { kind: 'unavailable', status: res.status, detail: `${path} answered ${res.status}${reasonOf(res.text())}` };
      }
      let body: unknown;
      try {
        body = res.json();
      } catch (error) {
        return { kind: 'malformed', detail: `${path}: invalid JSON (${(error as Error).message})` };
      }
      const parsed = listingSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return { kind: 'malformed', detail: `${path}: not a Listing (${issue.path.join('.') || 'body'}: ${issue.message})` };
      }
      return { kind: 'ok', listing: parsed.data };
    }
  }

  private stateKey(): string {
    return `reddit:token:${this.config.authBase}:${this.config.clientIdSecret}`;
  }

  private async token(forceRefresh: boolean): Promise<string> {
    const key = this.stateKey();
    const cached = this.ctx.state.get(key) as CachedToken | undefined;
    const now = this.ctx.now().getTime();
    if (!forceRefresh && cached && cached.expiresAt > now) return cached.accessToken;
    const basic = Buffer.from(`${requireSecret(this.ctx, this.config.clientIdSecret)}:${requireSecret(this.ctx, this.config.clientSecretSecret)}`).toString('base64');
    const res = await this.ctx.http.request(`${this.config.authBase}/api/v1/access_token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': this.userAgent, accept: 'application/json' },
      body: 'grant_type=client_credentials',
      accept: [400, 401, 403],
    });
    if (res.status !== 200) throw new SourceError('auth', `Reddit token request answered ${res.status}: check the app's client id and secret`);
    let body: unknown;
    try {
      body = res.json();
    } catch {
      body = null;
    }
    const parsed = tokenSchema.safeParse(body);
    if (!parsed.success) {
      // Reddit answers 200 with {"error": "..."} for a grant it does not allow.
      const error = (body as { error?: unknown } | null)?.error;
      throw new SourceError('auth', `Reddit token request failed${error ? `: ${String(error)}` : ': no access_token in the answer'}`);
    }
    const lifetime = parsed.data.expires_in;
    const margin = Math.min(60, lifetime / 2);
    this.ctx.state.set(key, { accessToken: parsed.data.access_token, expiresAt: now + (lifetime - margin) * 1000 } satisfies CachedToken);
    return parsed.data.access_token;
  }
}

/** Reddit says why a subreddit is closed: {"reason": "private" | "banned" | "quarantined", …}. */
function reasonOf(text: string): string {
  try {
    const reason = (JSON.parse(text) as { reason?: unknown }).reason;
    return typeof reason === 'string' ? ` (${reason})` : '';
  } catch {
    return '';
  }
}
