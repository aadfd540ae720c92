import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../eval/evaluate.js';
import type { LabelledPost } from '../labelled.js';
import { LEXICAL_FILE } from '../lexical/model.js';
import { createModelClassifier } from '../model-classifier.js';
import { artifactFrom, fakeEncoder, syntheticSet } from '../test-support/synthetic.js';
import { lexicalMeta, readHeads, writeHeads } from './artifact.js';
import { compileHeads, fuseDistributions } from './predict.js';
import { DEFAULT_SOFTMAX_OPTIONS } from './softmax-regression.js';
import { DEFAULT_LEXICAL_TRAINING, trainHeads } from './train-heads.js';

const dir = mkdtempSync(join(tmpdir(), 'ks-lexical-fusion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CATEGORY_BLOCK = [6, 17] as const;
/**
 * Synthetic posts whose category is in the text ("... melding over <category> ...") but not in the
 * embedding (its category block is zeroed): only a lexical head can learn the category.
 */
function textOnlyCategory(n: number, seed: number, start: number) {
  const set = syntheticSet(n, seed, start);
  const posts: LabelledPost[] = set.posts.map((p, i) => ({ ...p, text: `bericht ${start + i}: melding over ${p.category ?? 'niets bijzonders'} vandaag` }));
  const embeddings = set.embeddings.map((e) => e.map((v, j) => (j >= CATEGORY_BLOCK[0] && j < CATEGORY_BLOCK[1] ? 0 : v)));
  return { posts, embeddings };
}

const train = textOnlyCategory(500, 1, 0);
const dev = textOnlyCategory(200, 2, 10_000);
const test = textOnlyCategory(200, 3, 20_000);
const options = { ...DEFAULT_SOFTMAX_OPTIONS, maxEpochs: 40 };
const lexicalTraining = { ...DEFAULT_LEXICAL_TRAINING, options: { ...DEFAULT_LEXICAL_TRAINING.options, maxEpochs: 30 } };
const embeddingOnly = trainHeads(train, dev, options);
const fused = trainHeads(train, dev, options, undefined, lexicalTraining);

describe('fuseDistributions', () => {
  it('is the first distribution at 0, the second at 1, and a normalised pool between', () => {
    const p = [0.7, 0.2, 0.1];
    const q = [0.1, 0.1, 0.8];
    expect([...fuseDistributions(p, q, 0)].map((v) => v.toFixed(12))).toEqual(p.map((v) => v.toFixed(12)));
    expect([...fuseDistributions(p, q, 1)].map((v) => v.toFixed(12))).toEqual(q.map((v) => v.toFixed(12)));
    const half = fuseDistributions(p, q, 0.5);
    expect(half.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(half[1]! / half[0]!).toBeCloseTo(Math.sqrt((0.2 * 0.1) / (0.7 * 0.1)), 12);
  });
});

describe('heads with lexical fusion', () => {
  it('learn from the text what the embedding lacks, with the weight chosen on dev', () => {
    expect(embeddingOnly.lexical).toBeNull();
    expect(embeddingOnly.fields.category.dev.macroF1).toBeLessThan(0.4);
    expect(fused.fields.category.lexicalWeight).toBeGreaterThan(0);
    expect(fused.fields.category.dev.macroF1).toBeGreaterThan(0.95);
    expect(fused.lexical?.fields.category).toBeDefined();
    // A field stored without a lexical head has weight 0, and the other way round.
    for (const [name, head] of Object.entries(fused.fields)) {
      expect(head.lexicalWeight > 0).toBe(fused.lexical!.fields[name as keyof typeof fused.fields] !== undefined);
    }
  });

  it('take their vocabulary only from the posts they are told to (the corpus, not review posts)', () => {
    const reviews = textOnlyCategory(4, 9, 30_000);
    reviews.posts = reviews.posts.map((p) => ({ ...p, text: `${p.text} jansen woont hier` }));
    const withReviews = { posts: [...train.posts, ...reviews.posts], embeddings: [...train.embeddings, ...reviews.embeddings] };
    const quick = { ...lexicalTraining, options: { ...lexicalTraining.options, maxEpochs: 2 } };
    const everything = trainHeads(withReviews, dev, { ...options, maxEpochs: 2 }, undefined, quick);
    expect(everything.lexical?.vocabulary.terms).toContain('w:jansen');
    const corpusOnly = trainHeads(withReviews, dev, { ...options, maxEpochs: 2 }, undefined, quick, train.posts);
    expect(corpusOnly.lexical?.vocabulary.terms.some((t) => t.includes('jansen'))).toBe(false);
  });

  it('are deterministic', () => {
    const again = trainHeads(train, dev, options, undefined, lexicalTraining);
    expect(again.fields).toEqual(fused.fields);
    expect(again.lexical).toEqual(fused.lexical);
  });

  it('round-trip through heads.json and lexical.json and classify the test posts by their text', async () => {
    const artifact = { ...artifactFrom(fused.fields), lexical: lexicalMeta(fused.lexical!, { minDf: 2 }) };
    await writeHeads(dir, artifact, fused.lexical);
    const loaded = await readHeads(dir);
    expect(loaded.lexical?.vocabulary.terms).toEqual(fused.lexical!.vocabulary.terms);
    const known = new Map(test.posts.map((p, i) => [p.text, test.embeddings[i]!]));
    const classifier = createModelClassifier(fakeEncoder(known), loaded, dir);
    const evaluation = evaluate(test.posts, await classifier.classify(test.posts.map((p) => p.text)));
    expect(evaluation.headline.categoryMacroF1).toBeGreaterThan(0.95);
    const withoutText = createModelClassifier(fakeEncoder(known), { artifact: artifactFrom(embeddingOnly.fields), hash: '00000000', lexical: null }, dir);
    expect(evaluate(test.posts, await withoutText.classify(test.posts.map((p) => p.text))).headline.categoryMacroF1).toBeLessThan(0.4);
  });

  it('refuse a lexical.json that is not the one heads.json names', async () => {
    const file = join(dir, LEXICAL_FILE);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"minDf":2', '"minDf":3'));
    await expect(readHeads(dir)).rejects.toThrow(/does not match the sha256 recorded in heads.json/);
    writeFileSync(file, text);
    await expect(readHeads(dir)).resolves.toBeDefined();
  });

  it('refuse to compile a fused head without its lexical head, or with other labels', () => {
    expect(() => compileHeads({ fields: fused.fields }, fused.lexical)).not.toThrow();
    expect(() => compileHeads({ fields: fused.fields }, null)).toThrow(/category fuses a lexical head, but the model has none for it/);
    const relabelled = { ...fused.lexical!, fields: { ...fused.lexical!.fields, category: { ...fused.lexical!.fields.category!, labels: [...fused.lexical!.fields.category!.labels].reverse() } } };
    expect(() => compileHeads({ fields: fused.fields }, relabelled)).toThrow(/lexical head of category has labels/);
  });

  it('refuse to write heads without the lexical model they name', async () => {
    const artifact = { ...artifactFrom(fused.fields), lexical: lexicalMeta(fused.lexical!, {}) };
    await expect(writeHeads(dir, artifact, null)).rejects.toThrow(/must come together/);
  });
});
