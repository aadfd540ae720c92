import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/support/replay-server.js';
import { MalformedItemError } from '../types.js';
import { compareFullnames, listingsFor } from './listings.js';
import { decodeEntities, mapRedditThing, removedAtSource, type RedditThing } from './map.js';

const children = (name: string) => (JSON.parse(fixture('reddit', name)) as { data: { children: RedditThing[] } }).data.children;
const byName = (name: string, fullname: string) => children(name).find((c) => c.data.name === fullname)!;

function malformed(raw: unknown): MalformedItemError {
  try {
    mapRedditThing(raw as RedditThing);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedItemError);
    return error as MalformedItemError;
  }
  throw new Error('expected MalformedItemError');
}

describe('Reddit mapping', () => {
  it('maps a self post to title + body, its permalink and created_utc', () => {
    expect(mapRedditThing(byName('new.json', 't3_1ny8k2q'))).toEqual({
      externalId: 't3_1ny8k2q',
      text: 'Agent sloeg mijn broer tijdens aanhouding in Rotterdam\n\nGisteravond bij Rotterdam Centraal. Hij verzette zich niet eens & werkte gewoon mee.\n\nWaar dien je hier een klacht over in?',
      authorHandle: 'fietsbel_83',
      url: 'https://www.reddit.com/r/thenetherlands/comments/1ny8k2q/agent_sloeg_mijn_broer_tijdens_aanhouding_in/',
      lang: null,
      publishedAt: new Date('2026-10-05T11:20:00Z'),
    });
  });

  it('uses the permalink, not the linked article, for a link post and keeps only the title', () => {
    const post = mapRedditThing(byName('new.json', 't3_1ny7q0a'));
    expect(post.url).toBe('https://www.reddit.com/r/thenetherlands/comments/1ny7q0a/politie_zoekt_getuigen_van_mishandeling_bij/');
    expect(post.text).toBe('Politie zoekt getuigen van mishandeling bij tramhalte in Utrecht <video>');
  });

  it('maps a comment with its own permalink, falling back to the post permalink', () => {
    const comment = byName('comments.json', 't1_lq9x2ab');
    expect(mapRedditThing(comment)).toMatchObject({
      externalId: 't1_lq9x2ab',
      text: 'Dien een klacht in via politie.nl en doe ook aangifte van mishandeling. Sterkte!',
      authorHandle: 'grachtpand',
      url: 'https://www.reddit.com/r/thenetherlands/comments/1ny8k2q/agent_sloeg_mijn_broer_tijdens_aanhouding_in/lq9x2ab/',
      publishedAt: new Date('2026-10-05T11:15:00Z'),
    });
    const { permalink: _permalink, ...withoutPermalink } = comment.data;
    expect(mapRedditThing({ kind: 't1', data: withoutPermalink }).url).toBe('https://www.reddit.com/r/thenetherlands/comments/1ny8k2q/agent_sloeg_mijn_broer_tijdens_aanhouding_in/');
  });

  it('decodes the entities Reddit sends without raw_json=1', () => {
    const post = byName('new.json', 't3_1ny8k2q');
    const escaped = { kind: 't3', data: { ...post.data, title: 'Politie &amp; ME &gt; burger?', selftext: 'Zei &quot;rot op&quot; &#8211; echt &#x1F621;' } };
    expect(mapRedditThing(escaped).text).toBe('Politie & ME > burger?\n\nZei "rot op" – echt 😡');
    expect(decodeEntities('&unknown; &#0; &amp;amp;')).toBe('&unknown; &#0; &amp;');
  });

  it('drops the handle of a deleted account but keeps the text', () => {
    const post = byName('new.json', 't3_1ny6xw3');
    expect(mapRedditThing({ kind: 't3', data: { ...post.data, author: '[deleted]' } }).authorHandle).toBeNull();
  });

  it('recognises removed and deleted things by fullname', () => {
    expect(removedAtSource(byName('new.json', 't3_1ny7zt1'))).toBe('t3_1ny7zt1');
    expect(removedAtSource(byName('comments.json', 't1_lq9w7cd'))).toBe('t1_lq9w7cd');
    expect(removedAtSource(byName('new.json', 't3_1ny8k2q'))).toBeNull();
    const linkPost = byName('new.json', 't3_1ny7q0a');
    expect(removedAtSource({ kind: 't3', data: { ...linkPost.data, removed_by_category: 'reddit' } })).toBe('t3_1ny7q0a');
    expect(malformed(byName('new.json', 't3_1ny7zt1')).message).toMatch(/removed or deleted/);
  });

  it.each([
    ['a post without title', () => byName('new.json', 't3_1ny7k9m'), /^title: /, 't3_1ny7k9m'],
    ['created_utc as text', () => ({ kind: 't3', data: { ...byName('new.json', 't3_1ny8k2q').data, created_utc: 'gisteren' } }), /^created_utc: /, 't3_1ny8k2q'],
    ['an empty comment', () => ({ kind: 't1', data: { ...byName('comments.json', 't1_lq9x2ab').data, body: '' } }), /^body: /, 't1_lq9x2ab'],
    ['a comment without any permalink', () => {
      const { permalink: _p, link_permalink: _l, ...data } = byName('comments.json', 't1_lq9x2ab').data;
      return { kind: 't1', data };
    }, /permalink/, 't1_lq9x2ab'],
    ['a "more" stub', () => ({ kind: 'more', data: { name: 't1_zzz', count: 3, children: ['a'] } }), /unexpected kind "more"/, 't1_zzz'],
    ['something else entirely', () => 'not a thing', /not a Reddit thing/, 'listing child'],
  ])('rejects %s with the fullname as location', (_label, build, pattern, where) => {
    const error = malformed(build());
    expect(error.message).toMatch(pattern);
    expect(error.where).toBe(where);
  });
});

describe('Reddit listings', () => {
  it('orders fullnames by their base36 id within one type only', () => {
    expect(compareFullnames('t3_1ny8k2q', 't3_1ny7zt1')).toBeGreaterThan(0);
    expect(compareFullnames('t3_zzzzzz', 't3_1000000')).toBeLessThan(0);
    expect(compareFullnames('t3_abc', 't3_abc')).toBe(0);
    expect(compareFullnames('t1_abc', 't3_abc')).toBeNull();
  });

  it('follows new posts, new comments and each search per subreddit', () => {
    const specs = listingsFor({ subreddits: ['thenetherlands', 'Netherlands'], comments: true, queries: ['politie', 'agent'] });
    expect(specs.map((s) => s.key)).toEqual([
      'r/thenetherlands/new', 'r/thenetherlands/comments', 'r/thenetherlands/search?q=politie', 'r/thenetherlands/search?q=agent',
      'r/Netherlands/new', 'r/Netherlands/comments', 'r/Netherlands/search?q=politie', 'r/Netherlands/search?q=agent',
    ]);
    expect(new URLSearchParams(specs[2]!.params).toString()).toBe('q=politie&restrict_sr=1&sort=new&limit=100&raw_json=1');
    expect(listingsFor({ subreddits: ['a_b'], comments: false, queries: [] }).map((s) => s.path)).toEqual(['/r/a_b/new']);
  });
});
