import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CollectedPost } from '../../domain/types.js';
import { MalformedItemError, parseItem } from '../types.js';
import { absoluteHttp, asNode, first, list, textOf, type FeedItem } from './parse.js';
import { decodeXml, htmlToPlain, isLinkDigest, parseFeedDate, tidy } from './text.js';

const feedItemSchema = z.object({
  format: z.enum(['rss', 'rdf', 'atom']),
  base: z.string().min(1),
  feedLang: z.string().nullable(),
  item: z.record(z.string(), z.unknown()),
});
type Item = Record<string, unknown>;

/**
 * Text of an element the parser kept raw. RSS puts (escaped or CDATA) HTML in title, description
 * and content:encoded; Atom says which it is in `type` (text, html, xhtml or a MIME type).
 */
function richText(value: unknown, defaultType: 'text' | 'html', isBody = false): string {
  // Namespaces are stripped, so Atom <content> can sit next to a media:content without text.
  const node = list(value).find((v) => textOf(v) !== '');
  if (node === undefined) return '';
  const raw = textOf(node);
  const type = String(asNode(node)?.['@_type'] ?? defaultType).toLowerCase();
  if (type.includes('xhtml')) return htmlToPlain(raw);
  if (type !== 'html' && type !== 'text/html') return tidy(decodeXml(raw));
  const html = decodeXml(raw);
  return isBody && isLinkDigest(html) ? '' : htmlToPlain(html);
}

const comparable = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Title and body, without saying the same thing twice (search feeds repeat the title as the description). */
function combine(title: string, body: string): string {
  if (!title || !body) return title || body;
  const t = comparable(title);
  const b = comparable(body);
  if (t.startsWith(b)) return title;
  if (b.startsWith(t)) return body;
  return `${title}\n\n${body}`;
}

function linkOf(item: Item, format: FeedItem['format'], base: string): string | null {
  let href: string;
  if (format === 'atom') {
    const links = list(item.link).map(asNode).filter((l): l is Item => l !== null && typeof l['@_href'] === 'string');
    const alternate = links.find((l) => (l['@_rel'] ?? 'alternate') === 'alternate' && /html|^$/.test(String(l['@_type'] ?? ''))) ?? links.find((l) => (l['@_rel'] ?? 'alternate') === 'alternate');
    href = String(alternate?.['@_href'] ?? '');
  } else {
    // An atom:link inside an RSS item has no text and is skipped here.
    href = list(item.link).map(textOf).find(Boolean) ?? '';
    const guid = first(item.guid);
    if (!href && format === 'rss' && asNode(guid)?.['@_isPermaLink'] !== 'false') href = textOf(guid);
    if (!href && typeof item['@_about'] === 'string') href = item['@_about'];
  }
  return href ? absoluteHttp(href.trim(), base) : null;
}

function idOf(item: Item, format: FeedItem['format']): string {
  if (format === 'atom') return textOf(item.id);
  if (format === 'rdf') return typeof item['@_about'] === 'string' ? item['@_about'].trim() : '';
  return textOf(item.guid);
}

function authorOf(item: Item): string | null {
  const creator = list(item.creator).map(textOf).find(Boolean);
  if (creator) return creator;
  for (const author of list(item.author)) {
    const node = asNode(author);
    const name = node && 'name' in node ? textOf(node.name) : textOf(author);
    // RSS <author> is "email (Name)".
    if (name) return /\(([^)]+)\)\s*$/.exec(name)?.[1]?.trim() || name;
  }
  return null;
}

function languageOf(item: Item, feedLang: string | null): string | null {
  const declared = textOf(item.language) || (typeof item['@_lang'] === 'string' ? item['@_lang'] : '') || feedLang || '';
  const primary = declared.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return /^[a-z]{2,3}$/.test(primary) ? primary : null;
}

/**
 * One feed item to a post. The id is the guid (RSS), rdf:about (RSS 1.0) or id (Atom); without
 * one, the link; without that, a hash of title and date, so the same item keeps the same id.
 */
export function mapFeedItem(raw: FeedItem): CollectedPost {
  const { format, feedLang, item, base: feedBase } = parseItem(feedItemSchema, raw, 'feed item', 'item');
  const atom = format === 'atom';
  const base = atom && typeof item['@_base'] === 'string' ? absoluteHttp(item['@_base'], feedBase) ?? feedBase : feedBase;
  const title = richText(item.title, atom ? 'text' : 'html');
  const summary = richText(atom ? item.summary : item.description, atom ? 'text' : 'html', true);
  const text = combine(title, summary || richText(atom ? item.content : item.encoded, atom ? 'text' : 'html', true));
  const url = linkOf(item, format, base);
  const id = idOf(item, format);
  const dateText = [item.pubDate, item.date, item.published, item.updated, item.issued, item.modified].map(textOf).find(Boolean) ?? '';
  if (!text) throw new MalformedItemError('item has neither a title nor a text', `${format} item ${id || url || '(no id)'}`);
  return {
    externalId: id || url || `sha256:${createHash('sha256').update(`${title}\n${dateText}`).digest('hex')}`,
    url,
    authorHandle: authorOf(item),
    text,
    lang: languageOf(item, feedLang),
    publishedAt: parseFeedDate(dateText),
  };
}
