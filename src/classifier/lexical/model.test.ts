import { describe, expect, it } from 'vitest';
import { parseLexical, quantiseRows, serialiseLexical } from './model.js';
import type { LexicalModel } from './model.js';
import { buildVocabulary } from './vocabulary.js';

const vocabulary = buildVocabulary(['de agent sloeg mij', 'de agent kwam niet'], 1);
const weights = [0, 1].map((c) => Array.from({ length: vocabulary.terms.length }, (_, j) => Math.sin(j * 7 + c) * (c + 1)));

describe('quantised lexical heads', () => {
  it('keep every weight within half a quantisation step of its row scale', () => {
    const { scales, q } = quantiseRows(weights);
    weights.forEach((row, c) => row.forEach((w, j) => {
      expect(Math.abs(q[c * row.length + j]! * scales[c]! - w)).toBeLessThanOrEqual(scales[c]! / 2 + 1e-12);
    }));
    expect(Math.max(...q.map(Math.abs))).toBe(127);
  });

  it('round-trip through lexical.json unchanged', () => {
    const model: LexicalModel = { vocabulary, fields: { grievance: { labels: ['false', 'true'], bias: [0.5, -0.5], ...quantiseRows(weights) } } };
    const again = parseLexical(serialiseLexical(model), 'test');
    expect(serialiseLexical(again)).toBe(serialiseLexical(model));
    expect(again.fields.grievance!.q).toEqual(model.fields.grievance!.q);
    expect(again.fields.category).toBeUndefined();
  });

  it('reject a file whose weights do not match its vocabulary', () => {
    const model: LexicalModel = { vocabulary, fields: { grievance: { labels: ['false', 'true'], bias: [0, 0], ...quantiseRows(weights.map((r) => r.slice(1))) } } };
    expect(() => parseLexical(serialiseLexical(model), 'lexical.json')).toThrow(/lexical head grievance does not match 2 labels/);
    expect(() => parseLexical('{"lexicalVersion":9}', 'lexical.json')).toThrow(/not a lexical model of version 1/);
    const descending = serialiseLexical({ vocabulary: { ...vocabulary, charNgrams: [5, 3] }, fields: {} });
    expect(() => parseLexical(descending, 'lexical.json')).toThrow(/charNgrams must ascend/);
  });
});
