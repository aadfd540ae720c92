import { describe, expect, it } from 'vitest';
import { lexicalTerms } from './terms.js';

describe('lexicalTerms', () => {
  it('gives lower-cased words, word bigrams and character n-grams, each kind prefixed', () => {
    const terms = lexicalTerms('De Wout', [3, 4, 5]);
    expect(terms.filter((t) => t.startsWith('w:'))).toEqual(['w:de', 'w:wout', 'w:de wout']);
    const chars = terms.filter((t) => t.startsWith('c:')).map((t) => t.slice(2));
    // " de wout " has 9 characters: 7 trigrams, 6 four-grams, 5 five-grams.
    expect(chars).toHaveLength(7 + 6 + 5);
    expect(new Set(chars.filter((c) => c.length === 3))).toEqual(new Set([' de', 'de ', 'e w', ' wo', 'wou', 'out', 'ut ']));
    expect(chars).toContain('wout ');
  });

  it('collapses whitespace, splits words on punctuation and keeps an emoji as one character', () => {
    expect(lexicalTerms('agent,\n\n  boete!').filter((t) => t.startsWith('w:'))).toEqual(['w:agent', 'w:boete', 'w:agent boete']);
    expect(lexicalTerms('a  \t b')).toEqual(lexicalTerms('a b'));
    expect(lexicalTerms('👮x', [3])).toContain('c: 👮x');
    expect(lexicalTerms('👮xy')).toContain('c: 👮xy');
  });

  it('takes the character n-gram sizes it is given', () => {
    const sizes = (sizesGiven: number[]) => new Set(lexicalTerms('de wout kwam', sizesGiven).filter((t) => t.startsWith('c:')).map((t) => t.length - 2));
    expect(sizes([4])).toEqual(new Set([4]));
    expect(sizes([3, 5])).toEqual(new Set([3, 5]));
    expect(sizes([])).toEqual(new Set());
    expect(lexicalTerms('de wout kwam').filter((t) => t.startsWith('c:')).every((t) => t.length === 6)).toBe(true);
    expect(lexicalTerms('de wout kwam', [3, 5]).filter((t) => t.startsWith('w:'))).toEqual(lexicalTerms('de wout kwam').filter((t) => t.startsWith('w:')));
  });

  it('gives no terms for an empty text and never mixes a word with an equal n-gram', () => {
    expect(lexicalTerms('')).toEqual([]);
    const terms = lexicalTerms('bij', [3]);
    expect(terms).toContain('w:bij');
    expect(terms).toContain('c:bij');
  });
});
