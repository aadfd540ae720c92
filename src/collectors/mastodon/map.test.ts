import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/support/replay-server.js';
import { MalformedItemError } from '../types.js';
import { statusHtmlToText } from './html.js';
import { mapStatus, skipReason } from './map.js';

type Status = Record<string, unknown> & { id: string; uri: string; content: string | null };
const onA = JSON.parse(fixture('mastodon', 'tag-politie.json')) as Status[];
const onB = JSON.parse(fixture('mastodon', 'tag-politie-instance-b.json')) as Status[];
const [withWarning, remoteToot, mediaOnly, english, contentNull] = onA as [Status, Status, Status, Status, Status];

function rejection(fn: () => unknown): MalformedItemError {
  try { fn(); } catch (error) { if (error instanceof MalformedItemError) return error; throw error; }
  throw new Error('expected a MalformedItemError');
}

describe('Mastodon status HTML to text', () => {
  it('keeps mentions and hashtags as written, shows links as a reader sees them, keeps emoji shortcodes', () => {
    expect(statusHtmlToText(remoteToot.content!)).toBe(
      "@wijkagent_noord bedankt voor het snelle optreden gisteren :blobheart: Eindelijk een agent die 's avonds ook luistert.\n\nVerslag: nieuws.example.nl/artikel/2026… #politie",
    );
  });
  it('keeps paragraphs and line breaks, decodes entities and does not wrap long lines', () => {
    const text = statusHtmlToText(`<p>${'lang '.repeat(30)}&amp; &quot;klaar&quot;<br>tweede regel</p><p>derde &lt;alinea&gt;</p>`);
    expect(text).toBe(`${'lang '.repeat(30)}& "klaar"\ntweede regel\n\nderde <alinea>`);
  });
  it('renders lists and inline emoji images from other servers', () => {
    expect(statusHtmlToText('<ul><li>een</li><li>twee</li></ul><p>top <img class="emoji" alt=":blobcop:" src="https://x/e.png"> <img src="https://x/photo.jpg" alt="foto van agent"></p>'))
      .toBe('- een\n- twee\n\ntop :blobcop:');
  });
});

describe('Mastodon status mapping', () => {
  it('maps a local status: URI as id, acct completed with the instance domain, content warning in front', () => {
    expect(mapStatus({ instance: 'mastodon.example', status: withWarning })).toEqual({
      externalId: `https://mastodon.example/users/kees_utrecht/statuses/${withWarning.id}`,
      url: `https://mastodon.example/@kees_utrecht/${withWarning.id}`,
      authorHandle: 'kees_utrecht@mastodon.example',
      text: 'politiegeweld, bloed\n\nFilmpje van de ME bij de demo op de Dam. Agent slaat iemand die al op de grond ligt & niemand grijpt in.\nDit moet gemeld worden bij de klachtencommissie. #politiegeweld #politie',
      lang: 'nl',
      publishedAt: new Date('2026-11-21T08:02:41.312Z'),
    });
  });

  it('maps the same toot seen via two instances to the same post', () => {
    const viaA = mapStatus({ instance: 'mastodon.example', status: remoteToot });
    const viaB = mapStatus({ instance: 'toot.example.nl', status: onB.find((s) => s.uri === remoteToot.uri) });
    expect(remoteToot.id).not.toBe(onB[1]!.id);
    expect(viaA).toEqual(viaB);
    expect(viaA.authorHandle).toBe('rechtvaardig@toot.example.nl');
  });

  it('maps a boost as the boosted original', () => {
    const boost = { ...english, id: '117660000000000001', uri: 'https://mastodon.example/users/kees_utrecht/statuses/117660000000000001/activity', url: null, content: '', account: withWarning.account, reblog: remoteToot };
    expect(mapStatus({ instance: 'mastodon.example', status: boost })).toEqual(mapStatus({ instance: 'mastodon.example', status: remoteToot }));
  });

  it('uses the URI as link when the url is missing and keeps language null when unknown', () => {
    const post = mapStatus({ instance: 'mastodon.example', status: { ...english, url: null, language: null } });
    expect(post.url).toBe(english.uri);
    expect(post.lang).toBeNull();
  });

  it.each([
    [{ ...contentNull }, /^content: /],
    [{ ...english, uri: undefined }, /^uri: /],
    [{ ...english, created_at: 'gisteren' }, /^created_at: not a date-time/],
    [{ ...english, account: null }, /^account: /],
    [{ ...english, visibility: 'unlisted' }, /only public/],
    [{ ...english, reblog: { ...remoteToot, visibility: 'private' } }, /only public/],
    [{ ...mediaOnly }, /no text/],
    ['not a status', /^status: /],
  ])('rejects a broken or non-public status (%#) as malformed, saying where', (status, message) => {
    const error = rejection(() => mapStatus({ instance: 'mastodon.example', status }));
    expect(error.message).toMatch(message);
    expect(error.where).toMatch(/^mastodon\.example status /);
  });

  it('lets only public statuses with text through to mapping; odd shapes pass so map can count them', () => {
    expect(skipReason(english)).toBeNull();
    expect(skipReason(mediaOnly)).toBe('no_text');
    expect(skipReason({ ...mediaOnly, spoiler_text: 'politie' })).toBeNull();
    for (const visibility of ['unlisted', 'private', 'direct']) expect(skipReason({ ...english, visibility })).toBe('not_public');
    expect(skipReason({ ...english, reblog: { ...remoteToot, visibility: 'private' } })).toBe('not_public');
    expect(skipReason(contentNull)).toBeNull();
    expect(skipReason(null)).toBeNull();
  });
});
