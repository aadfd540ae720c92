import { describe, expect, it } from 'vitest';
import { buildVocabulary, createVectoriser } from './vocabulary.js';

const texts = ['de agent sloeg mij', 'de agent kwam niet', 'mijn fiets is weg', 'de agent was aardig'];

describe('buildVocabulary', () => {
  it('keeps the terms in at least minDf posts, sorted, with their document frequencies', () => {
    const vocabulary = buildVocabulary(texts, 2);
    expect(vocabulary.documents).toBe(4);
    expect(vocabulary.terms).toEqual([...vocabulary.terms].sort());
    const df = (term: string) => vocabulary.df[vocabulary.terms.indexOf(term)];
    expect(df('w:agent')).toBe(3);
    expect(df('w:de agent')).toBe(3);
    expect(vocabulary.terms).not.toContain('w:fiets');
    expect(buildVocabulary(texts, 1).terms).toContain('w:fiets');
  });

  it('counts a term once per post for its document frequency', () => {
    const vocabulary = buildVocabulary(['agent agent agent', 'agent'], 1);
    expect(vocabulary.df[vocabulary.terms.indexOf('w:agent')]).toBe(2);
  });
});

describe('createVectoriser', () => {
  const vectoriser = createVectoriser(buildVocabulary(texts, 1));

  it('gives a unit-length TF-IDF row with ascending indices, ignoring unknown terms', () => {
    const row = vectoriser.vectorise('De agent sloeg mij, xyzzy');
    expect(row.indices.length).toBeGreaterThan(0);
    expect([...row.indices]).toEqual([...row.indices].sort((a, b) => a - b));
    expect(Math.hypot(...row.values)).toBeCloseTo(1, 6);
    expect(row.indices.every((i) => i < vectoriser.dim)).toBe(true);
    expect(vectoriser.vectorise('xyzzy qqq').indices.length).toBe(0);
  });

  it('weighs a rare term above a common one with the same count', () => {
    const vocabulary = buildVocabulary(texts, 1);
    const row = vectoriser.vectorise('agent sloeg');
    const weight = (term: string) => row.values[[...row.indices].indexOf(vocabulary.terms.indexOf(term))]!;
    expect(weight('w:sloeg')).toBeGreaterThan(weight('w:agent'));
  });

  it('is deterministic', () => {
    expect(vectoriser.vectorise('de agent kwam niet')).toEqual(vectoriser.vectorise('de agent kwam niet'));
  });
});
