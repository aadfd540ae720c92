import { z } from 'zod';
import type { CollectedPost } from '../../domain/types.js';
import { MalformedItemError, parseItem } from '../types.js';

/** One child of a Reddit Listing, exactly as the API sends it: `{ kind: "t3" | "t1", data: {…} }`. */
export interface RedditThing {
  kind: string;
  data: Record<string, unknown>;
}

export const thingSchema = z.object({ kind: z.string(), data: z.record(z.string(), z.unknown()) });

const REDDIT_WEB = 'https://www.reddit.com';
/** What Reddit puts in place of a body a moderator removed or its author deleted. */
const GONE_BODIES = new Set(['[removed]', '[deleted]']);

const createdUtc = z.number().nonnegative();
const author = z.string().min(1);

const linkSchema = z.object({
  name: z.string().regex(/^t3_[0-9a-z]+$/),
  title: z.string().min(1),
  selftext: z.string().optional().default(''),
  author,
  permalink: z.string().startsWith('/'),
  created_utc: createdUtc,
  removed_by_category: z.string().nullish(),
});

const commentSchema = z.object({
  name: z.string().regex(/^t1_[0-9a-z]+$/),
  body: z.string().min(1),
  author,
  permalink: z.string().startsWith('/').optional(),
  link_permalink: z.url().optional(),
  created_utc: createdUtc,
}).refine((c) => c.permalink !== undefined || c.link_permalink !== undefined, { message: 'no permalink or link_permalink', path: ['permalink'] });

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Reddit escapes &, < and > in text fields unless asked for raw_json=1; undo it either way. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/g, (match, entity: string) => {
    if (entity[0] !== '#') return NAMED_ENTITIES[entity.toLowerCase()] ?? match;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}

const fullnameOf = (thing: RedditThing): string | null => (typeof thing.data.name === 'string' ? thing.data.name : null);

/**
 * The fullname of a post or comment whose text was removed by a moderator or deleted by its
 * author, or null when the thing still has its text. Such things are reported as deleted, not mapped.
 */
export function removedAtSource(thing: RedditThing): string | null {
  const name = fullnameOf(thing);
  if (!name) return null;
  const d = thing.data;
  if (thing.kind === 't3') {
    const gone = (typeof d.selftext === 'string' && GONE_BODIES.has(d.selftext)) || (typeof d.removed_by_category === 'string' && d.removed_by_category !== '');
    return gone ? name : null;
  }
  if (thing.kind === 't1') return typeof d.body === 'string' && GONE_BODIES.has(d.body) ? name : null;
  return null;
}

/** "[deleted]" is what Reddit shows once an account is gone: there is no handle to keep. */
const handle = (name: string): string | null => (name === '[deleted]' ? null : name);

/** Maps a t3 (post) or t1 (comment) from a Listing to a post; anything else is malformed. */
export function mapRedditThing(raw: RedditThing): CollectedPost {
  const thing = thingSchema.safeParse(raw);
  if (!thing.success) throw new MalformedItemError('not a Reddit thing: expected { kind, data }', 'listing child');
  const where = fullnameOf(thing.data) ?? `${thing.data.kind} without name`;
  if (removedAtSource(thing.data)) throw new MalformedItemError('removed or deleted at source', where);
  if (thing.data.kind === 't3') {
    const post = parseItem(linkSchema, thing.data.data, where, 'data');
    const body = decodeEntities(post.selftext);
    return {
      externalId: post.name,
      text: body.trim() ? `${decodeEntities(post.title)}\n\n${body}` : decodeEntities(post.title),
      authorHandle: handle(post.author),
      // `url` is where a link post points to; the post itself lives at its permalink.
      url: REDDIT_WEB + post.permalink,
      lang: null,
      publishedAt: new Date(post.created_utc * 1000),
    };
  }
  if (thing.data.kind === 't1') {
    const comment = parseItem(commentSchema, thing.data.data, where, 'data');
    return {
      externalId: comment.name,
      text: decodeEntities(comment.body),
      authorHandle: handle(comment.author),
      url: comment.permalink ? REDDIT_WEB + comment.permalink : comment.link_permalink!,
      lang: null,
      publishedAt: new Date(comment.created_utc * 1000),
    };
  }
  throw new MalformedItemError(`unexpected kind "${thing.data.kind}"`, where);
}
