import { z } from 'zod';
import type { CollectedPost } from '../../domain/types.js';
import { firstIssue, MalformedItemError } from '../types.js';

export const POST_COLLECTION = 'app.bsky.feed.post';

/** A raw item as the platform sent it: one Jetstream text frame, or one PostView from searchPosts. */
export type BlueskyRaw = { via: 'jetstream'; frame: string } | { via: 'search'; post: unknown };

const postRecordSchema = z.object({
  text: z.string(),
  createdAt: z.string().optional(),
  langs: z.array(z.string()).optional(),
});

const eventSchema = z.object({
  did: z.string().startsWith('did:'),
  time_us: z.number().int().positive(),
  kind: z.string(),
  commit: z.object({
    rev: z.string().optional(),
    operation: z.enum(['create', 'update', 'delete']),
    collection: z.string(),
    rkey: z.string().min(1),
    record: z.unknown().optional(),
  }).optional(),
});

const postViewSchema = z.object({
  uri: z.string().regex(/^at:\/\/[^/]+\/app\.bsky\.feed\.post\/[^/]+$/, 'not an at:// post URI'),
  author: z.object({ did: z.string().startsWith('did:'), handle: z.string().min(1) }),
  record: postRecordSchema,
  indexedAt: z.iso.datetime({ offset: true }),
});

/** What fetchPage needs to know about a frame before deciding to keep, drop or skip it. */
export type JetstreamFrame =
  | { type: 'malformed'; reason: string }
  | { type: 'other'; timeUs: number; key: string }
  | { type: 'delete'; timeUs: number; key: string; uri: string }
  /** text is null when the record has no usable text field (a malformed record). */
  | JetstreamPost;

/** A post create/update, with what mapping it needs, so a frame is parsed once. */
export interface JetstreamPost { type: 'post'; timeUs: number; key: string; text: string | null; did: string; rkey: string; record: unknown }

export const postUri = (did: string, rkey: string) => `at://${did}/${POST_COLLECTION}/${rkey}`;
export const postUrl = (did: string, rkey: string) => `https://bsky.app/profile/${did}/post/${rkey}`;

export function classifyJetstreamFrame(frame: string): JetstreamFrame {
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch (error) {
    return { type: 'malformed', reason: `invalid JSON: ${(error as Error).message}` };
  }
  const parsed = eventSchema.safeParse(value);
  if (!parsed.success) return { type: 'malformed', reason: firstIssue(parsed.error) };
  const { did, time_us: timeUs, kind, commit } = parsed.data;
  // Identifies one event among others with the same time_us, so a resumed stream can skip it.
  const key = `${did}|${kind}|${commit?.rev ?? ''}|${commit?.operation ?? ''}|${commit?.rkey ?? ''}`;
  if (kind !== 'commit' || !commit || commit.collection !== POST_COLLECTION) return { type: 'other', timeUs, key };
  if (commit.operation === 'delete') return { type: 'delete', timeUs, key, uri: postUri(did, commit.rkey) };
  const text = (commit.record as { text?: unknown } | undefined)?.text;
  return { type: 'post', timeUs, key, text: typeof text === 'string' ? text : null, did, rkey: commit.rkey, record: commit.record };
}

/**
 * The post's language as stored: the first of its tags that we classify (so the prefilter, which
 * looks at one language, keeps a post tagged ["de", "nl"]), else its first tag.
 */
export function pickLang(langs: string[] | undefined, languages: readonly string[]): string | null {
  if (!langs || langs.length === 0) return null;
  const wanted = new Set(languages.map((l) => l.toLowerCase()));
  return langs.find((l) => wanted.has(l.toLowerCase().slice(0, 2))) ?? langs[0]!;
}

/** createdAt is client-supplied: keep it unless it is not a time or lies in the future of `fallback`. */
const isoDateTime = z.iso.datetime({ offset: true });

function publishedAt(createdAt: string | undefined, fallback: Date): Date {
  if (!createdAt || !isoDateTime.safeParse(createdAt).success) return fallback;
  const at = new Date(createdAt);
  return at.getTime() > fallback.getTime() + 24 * 3600_000 ? fallback : at;
}

function requireText(text: string, where: string): string {
  if (text.trim() === '') throw new MalformedItemError('record.text: empty post text', where);
  return text;
}

export function mapJetstreamFrame(frame: string, languages: readonly string[]): CollectedPost {
  const classified = classifyJetstreamFrame(frame);
  if (classified.type === 'malformed') throw new MalformedItemError(classified.reason, `jetstream frame ${frame.slice(0, 80)}`);
  const where = `jetstream time_us=${classified.timeUs}`;
  if (classified.type !== 'post') throw new MalformedItemError(`not a post create/update (${classified.type})`, where);
  return mapJetstreamPost(classified, languages);
}

export function mapJetstreamPost(post: JetstreamPost, languages: readonly string[]): CollectedPost {
  const where = `jetstream time_us=${post.timeUs}`;
  const { did, rkey } = post;
  const record = postRecordSchema.safeParse(post.record);
  if (!record.success) throw new MalformedItemError(`commit.record.${firstIssue(record.error)}`, where);
  return {
    externalId: postUri(did, rkey),
    url: postUrl(did, rkey),
    authorHandle: did,
    text: requireText(record.data.text, where),
    lang: pickLang(record.data.langs, languages),
    publishedAt: publishedAt(record.data.createdAt, new Date(Math.floor(post.timeUs / 1000))),
  };
}

export function mapSearchPost(post: unknown, languages: readonly string[]): CollectedPost {
  const uri = (post as { uri?: unknown } | null)?.uri;
  const where = typeof uri === 'string' ? uri : 'searchPosts post';
  const parsed = postViewSchema.safeParse(post);
  if (!parsed.success) throw new MalformedItemError(firstIssue(parsed.error), where);
  const p = parsed.data;
  const [, did, , rkey] = p.uri.slice('at://'.length).match(/^([^/]+)\/([^/]+)\/([^/]+)$/) ?? [];
  return {
    externalId: p.uri,
    url: postUrl(did!, rkey!),
    // The DID, as Jetstream gives it: one stable pseudonym per author whichever mode saw the post.
    authorHandle: p.author.did,
    text: requireText(p.record.text, where),
    lang: pickLang(p.record.langs, languages),
    publishedAt: publishedAt(p.record.createdAt, new Date(p.indexedAt)),
  };
}

export function mapBlueskyRaw(raw: BlueskyRaw, languages: readonly string[]): CollectedPost {
  return raw.via === 'jetstream' ? mapJetstreamFrame(raw.frame, languages) : mapSearchPost(raw.post, languages);
}
