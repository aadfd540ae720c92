import { compile } from 'html-to-text';
import { READER_SELECTORS } from '../html-text.js';

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  // One pass, so "&amp;lt;" becomes "&lt;" and is not decoded twice.
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (whole, name: string) => {
    if (name[0] !== '#') return XML_ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The character data of an element kept raw by the parser (a stop node): CDATA sections taken
 * verbatim, XML entities decoded elsewhere. Undeclared HTML entities (`&nbsp;`) survive for the
 * HTML converter to decode.
 */
export function decodeXml(raw: string): string {
  return raw.split(/(<!\[CDATA\[[\s\S]*?\]\]>)/).map((part) => (part.startsWith('<![CDATA[') ? part.slice(9, -3) : decodeEntities(part))).join('');
}

const convertHtml = compile({
  wordwrap: false,
  selectors: [
    ...READER_SELECTORS,
    { selector: 'img', format: 'skip' },
    { selector: 'figure > figcaption', format: 'block' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'iframe', format: 'skip' },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
  ],
});

/** Tidy plain text: no non-breaking or repeated spaces, at most one blank line, no stray edges. */
export function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\t ]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Search and aggregator feeds put a list of links as description (the headline again, related
 * articles, source names): that is not the item's text. True when, without the links, at most a
 * few words per link remain.
 */
export function isLinkDigest(html: string): boolean {
  const links = html.match(/<a\b[^>]*>[\s\S]*?<\/a>/gi) ?? [];
  if (links.length === 0) return false;
  const rest = html.replace(/<a\b[^>]*>[\s\S]*?<\/a>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/&nbsp;|&#160;/g, ' ');
  return rest.split(/\s+/).filter(Boolean).length <= 4 * links.length;
}

/** HTML (a feed's description, content:encoded, or Atom type="html"/"xhtml") to plain text, links without their URLs. */
export function htmlToPlain(html: string): string {
  return tidy(convertHtml(html));
}

const ZONES: Record<string, string> = { UTC: '+0000', WET: '+0000', CET: '+0100', MET: '+0100', BST: '+0100', WEST: '+0100', CEST: '+0200', MEST: '+0200', EET: '+0200', EEST: '+0300' };
const DUTCH_MONTHS: [RegExp, string][] = [
  [/\bjan(uari)?\b/i, 'Jan'], [/\bfeb(ruari)?\b/i, 'Feb'], [/\b(mrt|maart)\b/i, 'Mar'], [/\bapr(il)?\b/i, 'Apr'], [/\bmei\b/i, 'May'],
  [/\bjuni?\b/i, 'Jun'], [/\bjuli?\b/i, 'Jul'], [/\baug(ustus)?\b/i, 'Aug'], [/\bsep(t|tember)?\b/i, 'Sep'], [/\bokt(ober)?\b/i, 'Oct'],
  [/\bnov(ember)?\b/i, 'Nov'], [/\bdec(ember)?\b/i, 'Dec'],
];

/**
 * Feed dates: ISO 8601 (Atom, dc:date) and RFC 822 (RSS pubDate) as published in the wild, with
 * European zone names and Dutch month names. A time without zone is taken as UTC so the result
 * does not depend on the server's time zone. Unreadable → null (a missing date is not an error).
 */
export function parseFeedDate(value: string | null | undefined): Date | null {
  let s = value?.trim() ?? '';
  if (!s) return null;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) {
    s = `${s.replace(' ', 'T')}Z`;
  } else if (!/^\d{4}-\d{2}-\d{2}/.test(s)) {
    s = s.replace(/\b([A-Z]{3,4})\s*$/i, (zone: string) => ZONES[zone.toUpperCase()] ?? zone);
    for (const [pattern, month] of DUTCH_MONTHS) s = s.replace(pattern, month);
    if (/\d:\d{2}(:\d{2})?$/.test(s)) s += ' +0000';
  }
  const time = Date.parse(s);
  return Number.isNaN(time) ? null : new Date(time);
}
