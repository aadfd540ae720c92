import { z } from 'zod';
import type { CollectedPost } from '../../domain/types.js';
import { MalformedItemError, parseItem } from '../types.js';
import { statusHtmlToText } from './html.js';

/** One status as an instance's REST API returned it, plus the domain its local accounts live on. */
export interface MastodonItem {
  /** Account domain of the instance that served the status: `acct` of its local users has no domain. */
  instance: string;
  status: unknown;
}

const statusFields = z.object({
  id: z.string().min(1),
  uri: z.string().min(1),
  url: z.string().nullable().optional(),
  created_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date-time'),
  language: z.string().nullable().optional(),
  content: z.string(),
  spoiler_text: z.string().nullable().optional(),
  sensitive: z.boolean().optional(),
  visibility: z.string(),
  account: z.object({ acct: z.string().min(1) }),
});
const statusSchema = statusFields.extend({ reblog: statusFields.nullable().optional() });
type Status = z.infer<typeof statusFields>;

const asRecord = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : null);

/**
 * Why a status is not worth handing to `map`, or null when it is: only public posts are collected
 * (search with a token can also return unlisted or followers-only ones), and media-only posts have
 * no text to classify. Anything whose shape is off passes, so `map` reports it as malformed
 * instead of it vanishing silently. The reasons are counted as prefiltered on the run.
 */
export function skipReason(raw: unknown): 'not_public' | 'no_text' | null {
  const status = asRecord(raw);
  if (!status) return null;
  const original = asRecord(status.reblog) ?? status;
  for (const s of [status, original]) if (typeof s.visibility === 'string' && s.visibility !== 'public') return 'not_public';
  const { content, spoiler_text: spoiler } = original;
  if (typeof content !== 'string') return null;
  const visible = content.replace(/<[^>]*>/g, '').replace(/&nbsp;|\s/g, '');
  return visible !== '' || (typeof spoiler === 'string' && spoiler.trim() !== '') ? null : 'no_text';
}

/** `acct` is `user` for the serving instance's own users and `user@domain` for everyone else. */
function fullHandle(acct: string, instance: string): string {
  const [user, domain] = acct.replace(/^@/, '').split('@');
  return `${user}@${(domain ?? instance).toLowerCase()}`;
}

function httpUrl(value: string | null | undefined): string | null {
  return value && /^https?:\/\//i.test(value) ? value : null;
}

/**
 * A boost is mapped as the post it boosts: the original's URI is the external id (so a boost and
 * the original, or the same toot seen via two instances, are one post) and the original author is
 * the author. Timelines and search rarely return boosts, but a status with `reblog` must not be
 * stored as the booster's empty wrapper.
 */
export function mapStatus(item: MastodonItem): CollectedPost {
  const raw = asRecord(item.status);
  const where = `${item.instance} status ${typeof raw?.id === 'string' ? raw.id : '?'}`;
  const parsed = parseItem(statusSchema, item.status, where, 'status');
  const status: Status = parsed.reblog ?? parsed;
  if (parsed.visibility !== 'public' || status.visibility !== 'public') {
    throw new MalformedItemError(`visibility "${status.visibility}": only public statuses are collected`, where);
  }
  const body = statusHtmlToText(status.content);
  const warning = status.spoiler_text?.trim() ?? '';
  // The content warning is the author's own summary of the post: keep it in front of the body.
  const text = [warning, body].filter(Boolean).join('\n\n');
  if (!text) throw new MalformedItemError('status has no text (media only)', where);
  return {
    externalId: status.uri,
    url: httpUrl(status.url) ?? httpUrl(status.uri),
    authorHandle: fullHandle(status.account.acct, item.instance),
    text,
    lang: status.language ? status.language.toLowerCase() : null,
    publishedAt: new Date(status.created_at),
  };
}
