import type { SelectorDefinition } from 'html-to-text';

/**
 * html-to-text selectors every collector wants when it turns post HTML into what a reader sees:
 * link text without its URL, headings in their own case (the library shouts them by default),
 * lists with a plain dash.
 */
export const READER_SELECTORS: SelectorDefinition[] = [
  { selector: 'a', options: { ignoreHref: true } },
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
  { selector: 'ul', options: { itemPrefix: '- ' } },
];
