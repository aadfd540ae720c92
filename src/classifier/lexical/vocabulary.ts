import type { SparseVector } from '../heads/softmax-regression.js';
import { createTermIndex } from './term-index.js';
import { DEFAULT_CHAR_NGRAMS, lexicalTerms } from './terms.js';

/**
 * A fixed term vocabulary with document frequencies, and the TF-IDF vectoriser over it:
 * weight = (1 + ln count) · (ln((1 + N) / (1 + df)) + 1), the row scaled to unit length. Terms are
 * those in at least `minDf` training posts, sorted, so the same posts give the same vocabulary.
 */
export interface Vocabulary {
  minDf: number;
  /** Character n-gram sizes, ascending. */
  charNgrams: readonly number[];
  /** Training posts the frequencies were counted on (N). */
  documents: number;
  terms: readonly string[];
  df: ArrayLike<number>;
}

export function buildVocabulary(texts: readonly string[], minDf: number, charNgrams: readonly number[] = DEFAULT_CHAR_NGRAMS): Vocabulary {
  const df = new Map<string, number>();
  for (const text of texts) {
    for (const term of new Set(lexicalTerms(text, charNgrams))) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const terms = [...df].filter(([, n]) => n >= minDf).map(([term]) => term).sort();
  return { minDf, charNgrams: [...charNgrams], documents: texts.length, terms, df: Uint32Array.from(terms, (t) => df.get(t)!) };
}

export interface Vectoriser {
  readonly dim: number;
  vectorise(text: string): SparseVector;
}

export function createVectoriser(vocabulary: Vocabulary): Vectoriser {
  const index = createTermIndex(vocabulary.terms, vocabulary.charNgrams);
  const idf = Float64Array.from(vocabulary.terms, (_t, i) => Math.log((1 + vocabulary.documents) / (1 + vocabulary.df[i]!)) + 1);
  // Scratch counts reused across calls (vectorise is synchronous), reset through the touched list.
  const counts = new Uint32Array(vocabulary.terms.length);
  return {
    dim: vocabulary.terms.length,
    vectorise(text) {
      const touched: number[] = [];
      index.forEachIndex(text, (i) => {
        const seen = counts[i]!;
        counts[i] = seen + 1;
        if (seen === 0) touched.push(i);
      });
      const indices = Uint32Array.from(touched).sort();
      const values = new Float32Array(indices.length);
      const weights = new Float64Array(indices.length);
      let norm = 0;
      for (let j = 0; j < indices.length; j++) {
        const i = indices[j]!;
        const w = (1 + Math.log(counts[i]!)) * idf[i]!;
        weights[j] = w;
        norm += w * w;
        counts[i] = 0;
      }
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < indices.length; j++) values[j] = weights[j]! / norm;
      return { indices, values };
    },
  };
}
