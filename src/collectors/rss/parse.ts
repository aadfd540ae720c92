import { XMLParser } from 'fast-xml-parser';
import { SourceError } from '../types.js';

export type FeedFormat = 'rss' | 'rdf' | 'atom';

/** One <item> or <entry> as parsed from the feed, with what is needed to map it on its own. */
export interface FeedItem {
  format: FeedFormat;
  /** Base for relative links: the feed's xml:base or site link when absolute, else the feed's own URL. */
  base: string;
  /** Language the whole feed declares. */
  feedLang: string | null;
  /**
   * The element as fast-xml-parser gives it: attributes as "@_name", text as "#text", namespace
   * prefixes removed (dc:creator → creator, content:encoded → encoded). Title, description,
   * content and summary are kept raw (CDATA and entities undecoded) because they hold HTML.
   */
  item: unknown;
}

export interface ParsedFeed { format: FeedFormat; items: FeedItem[] }

const RAW_TEXT = ['title', 'description', 'encoded', 'summary', 'content'];
const REPEATABLE = new Set(['item', 'entry', 'link', 'author', 'creator']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true,
  stopNodes: RAW_TEXT.map((name) => `*.${name}`),
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATABLE.has(name),
});

type Node = Record<string, unknown>;
export const asNode = (v: unknown): Node | null => (v && typeof v === 'object' && !Array.isArray(v) ? v as Node : null);
export const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);
export const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The text of a parsed element: a string, or "#text" of an element with attributes. */
export function textOf(v: unknown): string {
  const node = first(v);
  if (typeof node === 'string') return node.trim();
  const text = asNode(node)?.['#text'];
  return typeof text === 'string' ? text.trim() : '';
}

export function absoluteHttp(value: string, base?: string): string | null {
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const looksLikeHtml = (body: string) => /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html)[\s>]/i.test(body);

/**
 * Parses RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom. A body that is not a feed, typically an HTML
 * error or login page served with status 200, is a SourceError: a person has to fix the URL.
 */
export function parseFeed(body: string, feedUrl: string): ParsedFeed {
  if (looksLikeHtml(body)) throw new SourceError('other', `${feedUrl} returned an HTML page, not a feed`);
  let doc: Node;
  try {
    doc = parser.parse(body) as Node;
  } catch (error) {
    throw new SourceError('other', `${feedUrl} is not well-formed XML: ${(error as Error).message}`);
  }
  const rss = asNode(doc.rss);
  const rdf = asNode(doc.RDF);
  const atom = asNode(doc.feed);
  const make = (format: FeedFormat, items: unknown[], base: string, lang: string): ParsedFeed => ({
    format,
    items: items.map((item) => ({ format, base, feedLang: lang || null, item })),
  });
  if (rss || rdf) {
    const channel = asNode(first((rss ?? rdf)!.channel)) ?? {};
    // RSS 2.0 items live in the channel, RSS 1.0 items next to it.
    const items = list(rss ? channel.item : rdf!.item);
    const siteLink = list(channel.link).map(textOf).find((l) => absoluteHttp(l));
    return make(rss ? 'rss' : 'rdf', items, siteLink ? absoluteHttp(siteLink)! : feedUrl, textOf(channel.language));
  }
  if (atom) {
    const declared = typeof atom['@_base'] === 'string' ? absoluteHttp(atom['@_base'], feedUrl) : null;
    const alternate = list(atom.link).map(asNode).find((l) => l && (l['@_rel'] ?? 'alternate') === 'alternate' && typeof l['@_href'] === 'string');
    const site = alternate ? absoluteHttp(alternate['@_href'] as string, declared ?? feedUrl) : null;
    const lang = typeof atom['@_lang'] === 'string' ? atom['@_lang'] : '';
    return make('atom', list(atom.entry), declared ?? site ?? feedUrl, lang);
  }
  const root = Object.keys(doc).find((k) => !k.startsWith('?'));
  throw new SourceError('other', `${feedUrl} is not an RSS or Atom feed (${root ? `root element <${root}>` : 'empty document'})`);
}
