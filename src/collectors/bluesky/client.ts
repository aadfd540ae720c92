import { z } from 'zod';
import type { HttpResponse } from '../http.js';
import { requireSecret, SourceError, type FetchContext } from '../types.js';
import type { SearchConfig } from './config.js';

/**
 * XRPC calls with an app-password session: created on first use, kept process-local in
 * ctx.state, refreshed when a call says the access token expired, re-created when refreshing fails.
 */
interface Session { accessJwt: string; refreshJwt: string }

const sessionSchema = z.object({ accessJwt: z.string().min(1), refreshJwt: z.string().min(1) });
const xrpcErrorSchema = z.object({ error: z.string().optional(), message: z.string().optional() });

/** Answers we inspect ourselves instead of letting the shared client throw. */
const AUTH_STATUSES = [400, 401];

type SessionOptions = Pick<SearchConfig, 'service' | 'identifier' | 'appPasswordSecret'>;

const stateKey = (o: SessionOptions) => `bluesky:session:${o.service}:${o.identifier}`;
const xrpcUrl = (o: SessionOptions, nsid: string) => `${o.service.replace(/\/+$/, '')}/xrpc/${nsid}`;

function xrpcError(res: HttpResponse): { error: string; message: string } {
  let body: unknown;
  try { body = res.json(); } catch { body = {}; }
  const parsed = xrpcErrorSchema.safeParse(body);
  const data = parsed.success ? parsed.data : {};
  return { error: data.error ?? `HTTP ${res.status}`, message: data.message ?? '' };
}

const describe = (res: HttpResponse) => {
  const { error, message } = xrpcError(res);
  return message ? `${error}: ${message}` : error;
};

function parseSession(res: HttpResponse, what: string): Session {
  const parsed = sessionSchema.safeParse(res.json());
  if (!parsed.success) throw new Error(`${what} answered without accessJwt/refreshJwt`);
  return { accessJwt: parsed.data.accessJwt, refreshJwt: parsed.data.refreshJwt };
}

async function createSession(o: SessionOptions, ctx: FetchContext): Promise<Session> {
  const password = requireSecret(ctx, o.appPasswordSecret);
  const res = await ctx.http.request(xrpcUrl(o, 'com.atproto.server.createSession'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ identifier: o.identifier, password }),
    accept: AUTH_STATUSES,
  });
  if (res.status !== 200) throw new SourceError('auth', `Bluesky login as ${o.identifier} failed: ${describe(res)}`);
  const session = parseSession(res, 'createSession');
  ctx.state.set(stateKey(o), session);
  return session;
}

async function refreshOrCreate(o: SessionOptions, ctx: FetchContext, session: Session): Promise<Session> {
  const res = await ctx.http.request(xrpcUrl(o, 'com.atproto.server.refreshSession'), {
    method: 'POST',
    headers: { authorization: `Bearer ${session.refreshJwt}`, accept: 'application/json' },
    accept: AUTH_STATUSES,
  });
  if (res.status !== 200) return createSession(o, ctx); // refresh token expired or revoked
  const refreshed = parseSession(res, 'refreshSession');
  ctx.state.set(stateKey(o), refreshed);
  return refreshed;
}

/** 401 in any form, or the PDS's 400 ExpiredToken/InvalidToken: a new access token may help. */
function tokenRejected(res: HttpResponse): boolean {
  if (res.status === 401) return true;
  return res.status === 400 && ['ExpiredToken', 'InvalidToken'].includes(xrpcError(res).error);
}

/** An authenticated XRPC query (GET); undefined params are left out. */
export async function xrpcQuery(o: SessionOptions, ctx: FetchContext, nsid: string, params: Record<string, string | number | null | undefined>): Promise<unknown> {
  const url = new URL(xrpcUrl(o, nsid));
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
  const call = (s: Session) => ctx.http.request(url.toString(), { headers: { authorization: `Bearer ${s.accessJwt}`, accept: 'application/json' }, accept: AUTH_STATUSES });
  let session = (ctx.state.get(stateKey(o)) as Session | undefined) ?? await createSession(o, ctx);
  let res = await call(session);
  if (tokenRejected(res)) {
    session = await refreshOrCreate(o, ctx, session);
    res = await call(session);
  }
  if (tokenRejected(res)) throw new SourceError('auth', `${nsid} refused a fresh session for ${o.identifier}: ${describe(res)}`);
  if (res.status === 400) throw new SourceError('other', `${nsid} rejected the request: ${describe(res)}`);
  try {
    return res.json();
  } catch {
    throw new Error(`${nsid} answered ${res.status} with a body that is not JSON`);
  }
}
