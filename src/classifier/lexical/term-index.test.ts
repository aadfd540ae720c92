import { describe, expect, it } from 'vitest';
import { createTermIndex } from './term-index.js';
import { lexicalTerms } from './terms.js';

const corpus = [
  'De wout sloeg mij gisteren bij de controle 👮‍♂️ #politie',
  'Pliesie kwam niet opdagen, 3x gebeld!!',
  'The officer refused to take my report 😡',
  'Agent agent agent',
];

function indicesOf(index: ReturnType<typeof createTermIndex>, text: string): number[] {
  const found: number[] = [];
  index.forEachIndex(text, (i) => found.push(i));
  return found.sort((a, b) => a - b);
}

describe('createTermIndex', () => {
  const vocabulary = [...new Set(corpus.flatMap((t) => lexicalTerms(t, [3, 4, 5])))].sort();
  const index = createTermIndex(vocabulary, [3, 4, 5]);

  it('finds every occurrence of every vocabulary term, as lexicalTerms lists them', () => {
    const probes = [...corpus, 'de agent kwam niet, pliesie 👮‍♂️', 'geen enkele bekende term: xyzzy', ''];
    for (const text of probes) {
      const expected = lexicalTerms(text, [3, 4, 5]).map((t) => vocabulary.indexOf(t)).filter((i) => i >= 0).sort((a, b) => a - b);
      expect(indicesOf(index, text), text).toEqual(expected);
    }
  });

  it('tells a word from the equal character n-gram and finds nothing outside the vocabulary', () => {
    const small = createTermIndex(['w:bij'], [3]);
    expect(indicesOf(small, 'bij')).toEqual([0]);
    expect(indicesOf(createTermIndex(['c:bij'], [3]), 'bij')).toEqual([0]);
    expect(indicesOf(small, 'bijna')).toEqual([]);
  });

  it('scans the character n-gram sizes it was built for', () => {
    const fours = [...new Set(corpus.flatMap((t) => lexicalTerms(t, [4])))].sort();
    const fourIndex = createTermIndex(fours, [4]);
    for (const text of corpus) {
      const expected = lexicalTerms(text, [4]).map((t) => fours.indexOf(t)).sort((a, b) => a - b);
      expect(indicesOf(fourIndex, text)).toEqual(expected);
    }
  });

  it('refuses a vocabulary with a repeated term', () => {
    expect(() => createTermIndex(['w:agent', 'w:agent'])).toThrow(/hash alike/);
  });
});
