import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/support/replay-server.js';
import { MalformedItemError, SourceError } from '../types.js';
import { mapFeedItem } from './map.js';
import { parseFeed, type FeedItem } from './parse.js';
import { decodeXml, isLinkDigest, parseFeedDate } from './text.js';

const FEED_URL = 'https://feeds.example.org/x.xml';
const parsed = (name: string) => parseFeed(fixture('rss', name), FEED_URL);
const mapped = (name: string) => parsed(name).items.map((item) => {
  try { return mapFeedItem(item); } catch (error) { if (error instanceof MalformedItemError) return error; throw error; }
});

describe('RSS 2.0 items', () => {
  const [cdata, escaped, noGuid, onlyTitle, empty] = mapped('nieuws-rss2.xml');

  it('reads CDATA, HTML descriptions and dc:creator, preferring the summary over content:encoded', () => {
    expect(cdata).toEqual({
      externalId: 'stadsnieuws-1830412',
      url: 'https://www.stadsnieuws.example.nl/nieuws/2026/11/22/agent-deelt-klap-uit-bij-aanhouding',
      authorHandle: 'Marieke de Vries',
      text: 'Agent deelt klap uit bij aanhouding op Vredenburg: "Dit hoort niet"\n\nEen filmpje van een harde klap door een agent tijdens een aanhouding gaat rond op sociale media. De politie laat weten de beelden te bekijken.',
      lang: 'nl',
      publishedAt: new Date('2026-11-22T18:42:00Z'),
    });
  });

  it('decodes escaped HTML once, resolves relative links against the site and reads "email (Name)" authors and CET dates', () => {
    expect(escaped).toMatchObject({
      url: 'https://www.stadsnieuws.example.nl/nieuws/2026/11/22/klacht-over-politie-optreden-voetbal',
      authorHandle: 'Redactie Sport',
      text: 'Klacht over politie-optreden bij voetbalwedstrijd: "Supporters werden opgesloten"\n\nSupportersvereniging dient een klacht in bij de politie\nna het optreden van de ME & de beveiliging.\n\nMeer over voetbal',
      publishedAt: new Date('2026-11-22T15:10:00Z'),
    });
  });

  it('falls back to the link as id, then to a stable hash of title and date; a missing date is null', () => {
    expect(noGuid).toMatchObject({ externalId: 'https://www.stadsnieuws.example.nl/nieuws/2026/11/21/wijkagent-overvecht-prijs', publishedAt: null, text: expect.stringContaining('‘meest benaderbare agent’') });
    expect(onlyTitle).toMatchObject({ externalId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), url: null, text: 'Politie zoekt getuigen van mishandeling in Lombok' });
    expect(mapped('nieuws-rss2.xml')[3]).toEqual(onlyTitle);
    const renamed = parsed('nieuws-rss2.xml').items[3]!;
    const other = mapFeedItem({ ...renamed, item: { ...(renamed.item as object), title: 'Andere titel' } });
    expect(other.externalId).not.toBe((onlyTitle as { externalId: string }).externalId);
  });

  it('rejects an item without any text as malformed', () => {
    expect(empty).toBeInstanceOf(MalformedItemError);
    expect((empty as MalformedItemError).where).toBe('rss item stadsnieuws-1830001');
  });

  it('keeps only the headline of search-feed items whose description is a list of links', () => {
    expect(mapped('google-news-search.xml')).toMatchObject([
      { externalId: 'CBMimwFBVV95cUxPX2tQcDNrbXVaeTRhQ2lvN3pLeWFKX0xwUGdnb0Zn', text: 'Klachtencommissie: agenten gingen te ver bij staandehouding in Zwolle - Omroep Oost', url: expect.stringMatching(/^https:\/\/news\.example\.com\/rss\/articles\//), lang: 'nl' },
      { text: 'Aantal klachten over politie stijgt voor derde jaar op rij - NU.example', publishedAt: new Date('2026-11-22T14:03:00Z') },
    ]);
  });
});

describe('Atom and RSS 1.0 items', () => {
  it('reads Atom text constructs by type, xml:base, alternate links, entry languages and updated as fallback date', () => {
    expect(mapped('gemeente-atom.xml')).toEqual([
      {
        externalId: 'tag:gemeente.example.nl,2026:nieuws/8812',
        url: 'https://www.gemeente.example.nl/nieuws/2026/burgemeester-reageert-klachten',
        authorHandle: 'Afdeling Communicatie',
        text: 'Burgemeester reageert op klachten over politie & handhaving\n\nDe burgemeester gaat in gesprek met bewoners die klachten hebben over agenten.',
        lang: 'nl',
        publishedAt: new Date('2026-11-22T14:30:00Z'),
      },
      {
        externalId: 'tag:gemeente.example.nl,2026:news/8790',
        url: 'https://www.gemeente.example.nl/en/news/police-residents-meet',
        authorHandle: null,
        text: 'Police <and> residents meet in De Wijk\n\nResidents talked with local officers about & safety.\n\nNext meeting in January.',
        lang: 'en',
        publishedAt: new Date('2026-11-20T09:00:00Z'),
      },
    ]);
  });

  it('reads RSS 1.0: rdf:about as id, dc:date, dc:creator and dc:language', () => {
    expect(mapped('politie-rdf.xml')).toEqual([
      {
        externalId: 'https://blog.example.nl/2026/11/controle-sarphatipark',
        url: 'https://blog.example.nl/2026/11/controle-sarphatipark',
        authorHandle: 'buurtbewoner_pijp',
        text: 'Controle bij het Sarphatipark: waarom werd ik gefouilleerd?\n\nGisteren werd ik zonder uitleg gefouilleerd door twee agenten. Ik heb een klacht ingediend.',
        lang: 'nl',
        publishedAt: new Date('2026-11-21T17:45:00Z'),
      },
      expect.objectContaining({ externalId: 'https://blog.example.nl/2026/11/wijkagent-spreekuur', text: 'Spreekuur wijkagent verplaatst naar donderdag', authorHandle: null }),
    ]);
  });

  it('rejects a raw item of the wrong shape as malformed', () => {
    expect(() => mapFeedItem({ format: 'rss', base: FEED_URL, feedLang: null, item: 'tekst' } as FeedItem)).toThrow(MalformedItemError);
    expect(() => mapFeedItem({ format: 'json', base: FEED_URL, feedLang: null, item: {} } as unknown as FeedItem)).toThrow(MalformedItemError);
  });
});

describe('feed documents', () => {
  it.each([
    ['error-page.html', /returned an HTML page/],
    ['<?xml version="1.0"?><opml version="2.0"><body/></opml>', /not an RSS or Atom feed \(root element <opml>\)/],
    ['', /not an RSS or Atom feed/],
  ])('refuses %s as a source problem', (input, message) => {
    const body = input.endsWith('.html') ? fixture('rss', input) : input;
    let error: unknown;
    try { parseFeed(body, FEED_URL); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ reason: 'other', message: expect.stringMatching(message) });
  });

  it('uses the feed URL as base when the channel has no absolute link', () => {
    const feed = parseFeed('<rss version="2.0"><channel><item><title>t</title><link>a/b</link></item></channel></rss>', FEED_URL);
    expect(mapFeedItem(feed.items[0]!).url).toBe('https://feeds.example.org/a/b');
  });
});

describe('feed text and dates', () => {
  it('decodes XML entities once and takes CDATA verbatim', () => {
    expect(decodeXml('a &amp;lt;b&amp;gt; &#233;&#x20AC; <![CDATA[&amp; <p>]]> &nbsp;')).toBe('a &lt;b&gt; é€ &amp; <p> &nbsp;');
  });
  it('tells a digest of links from a description with a link in it', () => {
    expect(isLinkDigest('<a href="x">Kop</a>&nbsp;&nbsp;<font>Omroep Oost</font>')).toBe(true);
    expect(isLinkDigest('<p>De politie onderzoekt de klacht van een bewoner. <a href="/x">Lees meer</a></p>')).toBe(false);
  });
  it.each([
    ['Sun, 22 Nov 2026 19:42:00 +0100', '2026-11-22T18:42:00.000Z'],
    ['Sun, 22 Nov 2026 19:42:00 GMT', '2026-11-22T19:42:00.000Z'],
    ['22 Nov 2026 19:42 CET', '2026-11-22T18:42:00.000Z'],
    ['Sat, 01 Aug 2026 12:00:00 CEST', '2026-08-01T10:00:00.000Z'],
    ['zo, 22 nov 2026 08:30:00 +0100', '2026-11-22T07:30:00.000Z'],
    ['di, 3 mrt 2026 09:00:00 +0100', '2026-03-03T08:00:00.000Z'],
    ['Sun, 22 Nov 2026 19:42:00', '2026-11-22T19:42:00.000Z'],
    ['2026-11-22T19:42:00+01:00', '2026-11-22T18:42:00.000Z'],
    ['2026-11-22 19:42:00', '2026-11-22T19:42:00.000Z'],
    ['2026-11-22', '2026-11-22T00:00:00.000Z'],
    ['gisteren', null],
    ['', null],
  ])('reads %j as %s', (input, expected) => {
    expect(parseFeedDate(input)?.toISOString() ?? null).toBe(expected);
  });
});
