import { compile, type FormatCallback } from 'html-to-text';
import { READER_SELECTORS } from '../html-text.js';

/** Mastodon hides a long URL's scheme and tail in `span.invisible` and marks the cut with CSS; show what a reader sees. */
const ellipsis: FormatCallback = (elem, walk, builder) => {
  walk(elem.children, builder);
  builder.addInline('…');
};

/** Some servers (Akkoma, Misskey) inline custom emoji as images; their alt text is the `:shortcode:`. */
const emojiAlt: FormatCallback = (elem, _walk, builder) => {
  const alt = (elem.attribs as Record<string, string | undefined> | undefined)?.alt ?? '';
  if (/^:[\w+-]+:$/.test(alt)) builder.addInline(alt);
};

/**
 * Status HTML (Mastodon's sanitised subset: p, br, a, span, plus lists, quotes and code from
 * newer servers) to plain text: paragraphs and line breaks kept, hrefs dropped (hashtags stay
 * `#tag`, mentions `@user`, links show their visible text), entities decoded, no word wrapping.
 */
const convertStatusHtml = compile({
  wordwrap: false,
  formatters: { ellipsis, emojiAlt },
  selectors: [
    ...READER_SELECTORS,
    { selector: 'span.invisible', format: 'skip' },
    { selector: 'span.ellipsis', format: 'ellipsis' },
    { selector: 'img', format: 'emojiAlt' },
  ],
});

export function statusHtmlToText(html: string): string {
  return convertStatusHtml(html)
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
