import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/support/replay-server.js';
import { createPrefilter } from '../prefilter.js';
import { MalformedItemError } from '../types.js';
import { blueskyCollector } from './index.js';
import { classifyJetstreamFrame, mapJetstreamFrame, mapSearchPost, pickLang } from './map.js';

const frames = fixture('bluesky', 'jetstream-page.jsonl').split('\n').filter((l) => l !== '');
const frame = (n: number) => frames[n - 1]!;
const latest = JSON.parse(fixture('bluesky', 'searchPosts-latest.json')) as { posts: Record<string, unknown>[] };
const older = JSON.parse(fixture('bluesky', 'searchPosts-older.json')) as { posts: Record<string, unknown>[] };
const LANGS = ['nl', 'en'];

function malformed(fn: () => unknown): MalformedItemError {
  try { fn(); } catch (error) { if (error instanceof MalformedItemError) return error; throw error; }
  throw new Error('expected MalformedItemError');
}

describe('Jetstream frame mapping', () => {
  it('maps a post create to the at:// URI, a bsky.app URL and the did as author', () => {
    expect(mapJetstreamFrame(frame(2), LANGS)).toEqual({
      externalId: 'at://did:plc:m6hu2zx2zdqttidvz7ora35t/app.bsky.feed.post/3mjpemkptfvnh',
      url: 'https://bsky.app/profile/did:plc:m6hu2zx2zdqttidvz7ora35t/post/3mjpemkptfvnh',
      authorHandle: 'did:plc:m6hu2zx2zdqttidvz7ora35t',
      text: 'De politie hield me vanavond zonder reden staande bij station Sloterdijk. Echt niet oké.',
      lang: 'nl',
      publishedAt: new Date('2026-11-20T18:32:03.641Z'),
    });
  });

  it('keeps text exactly as sent, after JSON unescaping of Go-escaped <, > and &', () => {
    expect(frame(14)).toContain('\\u003cb\\u003e');
    expect(mapJetstreamFrame(frame(14), LANGS).text).toBe('Politie Amsterdam <3 voor de snelle hulp & uitleg, <b>top</b>');
  });

  it('prefers a language we classify among several tags, else the first tag, else none', () => {
    expect(mapJetstreamFrame(frame(10), LANGS).lang).toBe('nl'); // langs ["de", "nl"]
    expect(mapJetstreamFrame(frame(3), LANGS).lang).toBe('de');
    expect(mapJetstreamFrame(frame(7), LANGS).lang).toBeNull();
    expect(pickLang(['pt-BR', 'en-US'], LANGS)).toBe('en-US');
    // The prefilter, which sees one language, therefore agrees with the "langs contains" rule.
    expect(createPrefilter({})(mapJetstreamFrame(frame(10), LANGS))).toEqual({ keep: true });
  });

  it('falls back to time_us when createdAt is not a time', () => {
    expect(mapJetstreamFrame(frame(12), LANGS).publishedAt).toEqual(new Date(1795199524611));
  });

  it.each([
    [8, /invalid JSON/, /^jetstream frame /],
    [13, /^commit\.record\.text: /, /^jetstream time_us=1795199524690412$/],
    [11, /empty post text/, /time_us=1795199524530004/],
    [9, /not a post create\/update \(delete\)/, /time_us=/],
    [5, /not a post create\/update \(other\)/, /time_us=/],
  ])('rejects frame %i as malformed with where', (n, message, where) => {
    const error = malformed(() => mapJetstreamFrame(frame(n), LANGS));
    expect(error.message).toMatch(message);
    expect(error.where).toMatch(where);
  });

  it('classifies frames and tells apart events sharing a time_us', () => {
    expect(frames.map((f) => classifyJetstreamFrame(f).type)).toEqual(
      ['other', 'post', 'post', 'post', 'other', 'post', 'post', 'malformed', 'delete', 'post', 'post', 'post', 'post', 'post']);
    const [six, seven] = [classifyJetstreamFrame(frame(6)), classifyJetstreamFrame(frame(7))];
    expect(six.type === 'post' && seven.type === 'post' && six.timeUs === seven.timeUs && six.key !== seven.key).toBe(true);
    expect(classifyJetstreamFrame(frame(9))).toMatchObject({ uri: 'at://did:plc:m6hu2zx2zdqttidvz7ora35t/app.bsky.feed.post/3mbq7tzkc5s2d' });
    expect(classifyJetstreamFrame(frame(13))).toMatchObject({ type: 'post', text: null });
    expect(classifyJetstreamFrame('{"did":"did:plc:x","time_us":-4,"kind":"commit"}')).toMatchObject({ type: 'malformed', reason: /^time_us: / });
  });
});

describe('searchPosts PostView mapping', () => {
  it('maps uri, author DID (same pseudonym as Jetstream), record text, langs and createdAt', () => {
    expect(mapSearchPost(latest.posts[2], LANGS)).toEqual({
      externalId: 'at://did:plc:hrlhuo45m3adecbweiyvwxte/app.bsky.feed.post/3mrs2b6zcje7m',
      url: 'https://bsky.app/profile/did:plc:hrlhuo45m3adecbweiyvwxte/post/3mrs2b6zcje7m',
      authorHandle: 'did:plc:hrlhuo45m3adecbweiyvwxte',
      text: 'Police officer at Centraal refused to take my report, told me to do it online. In Dutch only.',
      lang: 'en',
      publishedAt: new Date('2026-11-21T16:45:00.000Z'),
    });
  });

  it('uses indexedAt when createdAt claims a time far after indexing', () => {
    expect(mapSearchPost(older.posts[3], LANGS).publishedAt).toEqual(new Date('2026-11-17T10:15:44.219Z'));
  });

  it.each([
    ['a record without text', older.posts[1], /^record\.text: /, /^at:\/\/did:plc:ma3bwpugey3wqsyugkmyb6pk\//],
    ['a non-post URI', { ...latest.posts[0], uri: 'at://did:plc:x/app.bsky.feed.like/3abc' }, /^uri: not an at:\/\/ post URI/, /feed\.like/],
    ['no indexedAt', { ...latest.posts[0], indexedAt: undefined }, /^indexedAt: /, /^at:\/\//],
    ['not an object', 'hallo', /^value: /, /^searchPosts post$/],
  ])('rejects %s', (_name, post, message, where) => {
    const error = malformed(() => mapSearchPost(post, LANGS));
    expect(error.message).toMatch(message);
    expect(error.where).toMatch(where);
  });
});

describe('bluesky config', () => {
  it('refuses an unfiltered firehose and needs queries and a secret name for search', () => {
    expect(blueskyCollector.configSchema.safeParse({ mode: 'jetstream', prefilter: { enabled: false } }).success).toBe(false);
    expect(blueskyCollector.configSchema.safeParse({ mode: 'search', identifier: 'a.bsky.social', queries: ['politie'] }).success).toBe(false);
    const jetstream = blueskyCollector.configSchema.parse({ mode: 'jetstream' });
    expect(jetstream).toMatchObject({ jetstreamUrl: 'wss://jetstream2.us-east.bsky.network/subscribe', maxEvents: 5000, maxSeconds: 20 });
  });

  it('map uses the configured languages', () => {
    const config = blueskyCollector.configSchema.parse({ mode: 'jetstream', prefilter: { languages: ['de'] } });
    expect(blueskyCollector.map({ via: 'jetstream', frame: frame(10) }, config).lang).toBe('de');
  });
});
