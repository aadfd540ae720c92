import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../domain/taxonomy.js';
import { evaluate } from './eval/evaluate.js';
import { writeExamples } from './examples.js';
import { explain } from './explain.js';
import { createKeywordBaseline } from './keyword-baseline.js';
import { readHeads, serialiseHeads, writeHeads } from './heads/artifact.js';
import { DEFAULT_SOFTMAX_OPTIONS } from './heads/softmax-regression.js';
import { trainHeads } from './heads/train-heads.js';
import { createModelClassifier } from './model-classifier.js';
import { findUnit } from './places/place-units.js';
import { artifactFrom, fakeEncoder, syntheticSet } from './test-support/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'ks-model-classifier-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const train = syntheticSet(600, 1);
const dev = syntheticSet(200, 2, 10_000);
const test = syntheticSet(200, 3, 20_000);
const options = { ...DEFAULT_SOFTMAX_OPTIONS, maxEpochs: 60 };
const { fields } = trainHeads(train, dev, options);

async function classifierFor(set: { posts: { text: string }[]; embeddings: Float32Array[] }) {
  const examples = await writeExamples(dir, train.posts, train.embeddings);
  const heads = await writeHeads(dir, artifactFrom(fields, examples));
  const known = new Map(set.posts.map((p, i) => [p.text, set.embeddings[i]!]));
  train.posts.forEach((p, i) => known.set(p.text, train.embeddings[i]!));
  return createModelClassifier(fakeEncoder(known), heads, dir);
}

describe('heads trained on synthetic embeddings', () => {
  it('are deterministic: same seed and data give a byte-identical heads.json', () => {
    const again = trainHeads(train, dev, options).fields;
    expect(serialiseHeads(artifactFrom(again))).toBe(serialiseHeads(artifactFrom(fields)));
  });

  it('learn every field and store a dev-chosen threshold for the binary ones', () => {
    for (const name of ['complaint', 'police_related', 'grievance'] as const) {
      expect(fields[name].threshold).toBeGreaterThan(0);
      expect(fields[name].threshold).toBeLessThan(1);
      expect(fields[name].dev.f1).toBeGreaterThan(0.95);
    }
    expect(fields.category.threshold).toBeNull();
    expect(fields.category.dev.macroF1).toBeGreaterThan(0.9);
    // Grievance-scoped heads train on grievance rows only.
    expect(fields.category.train.n).toBe(train.posts.filter((p) => p.grievance).length);
  });
});

describe('createModelClassifier', () => {
  it('classifies every field with probabilities, distributions, nulls and the unit', async () => {
    const classifier = await classifierFor(test);
    expect(classifier.version).toMatch(/^fake-encoder\+heads-[0-9a-f]{8}$/);
    const { hash } = await readHeads(dir);
    expect(classifier.version).toBe(`fake-encoder+heads-${hash}`);

    const results = await classifier.classify(test.posts.map((p) => p.text));
    expect(results).toHaveLength(test.posts.length);
    for (const c of results) {
      expect(Object.keys(c.distributions).sort()).toEqual(['category', 'complaint', 'grievance', 'lodged', 'perspective', 'police_related', 'severity']);
      expect(Object.keys(c.distributions.category!)).toEqual([...CATEGORIES]);
      // p is P(true), rounded to 1e-4; the value is p ≥ the stored threshold.
      if (Math.abs(c.grievance.p - fields.grievance.threshold!) > 1e-4) expect(c.grievance.value).toBe(c.grievance.p > fields.grievance.threshold!);
      if (c.grievance.value) {
        expect(c.category.value).not.toBeNull();
        expect(c.complaint.value && c.policeRelated.value).toBe(true);
      } else {
        expect([c.category.value, c.lodged.value, c.perspective.value, c.severity.value]).toEqual([null, null, null, null]);
        expect(c.category.p).toBeCloseTo(1 - c.grievance.p, 4);
      }
      expect(c.unit).toEqual({ value: 'unknown', p: 1 });
    }
    const evaluation = evaluate(test.posts, results);
    expect(evaluation.headline.grievanceF1).toBeGreaterThan(0.95);
    expect(evaluation.headline.categoryMacroF1).toBeGreaterThan(0.9);
  });

  it('takes the unit from the place matcher and batches a call into one embed', async () => {
    const classifier = await classifierFor(test);
    const encoder = classifier.encoder as ReturnType<typeof fakeEncoder>;
    const texts = ['Agent in Maastricht sloeg mij', 'Politie Utrecht kwam niet', 'geen plaats'];
    const results = await classifier.classify(texts);
    expect(results.map((r) => r.unit.value)).toEqual(texts.map((t) => findUnit(t).unit));
    expect(encoder.calls.at(-1)).toEqual(texts);
    expect(await classifier.classify([])).toEqual([]);
  });

  it('applies the stored text prefix before embedding', async () => {
    const heads = { artifact: { ...artifactFrom(fields), textPrefix: 'query: ' }, hash: 'abcdef12', lexical: null };
    const encoder = fakeEncoder();
    await createModelClassifier(encoder, heads, dir).classify(['hallo']);
    expect(encoder.calls).toEqual([['query: hallo']]);
  });
});

describe('explain', () => {
  it('returns the three most similar training examples and every field probability', async () => {
    const classifier = await classifierFor(test);
    const probe = train.posts[5]!;
    const explanation = await explain(classifier, probe.text);
    expect(explanation.version).toBe(classifier.version);
    expect(explanation.similar).toHaveLength(3);
    expect(explanation.similar[0]).toMatchObject({ id: probe.id, text: probe.text, similarity: 1 });
    expect(explanation.similar[0]!.labels.grievance).toBe(probe.grievance);
    const sims = explanation.similar.map((s) => s.similarity);
    expect([...sims].sort((a, b) => b - a)).toEqual(sims);
    expect(Object.keys(explanation.probabilities)).toEqual(['complaint', 'police_related', 'grievance', 'category', 'lodged', 'perspective', 'severity', 'unit']);
    expect(explanation.classification.distributions.grievance).toBeDefined();
  });

  it('works for the keyword baseline, without examples', async () => {
    const explanation = await explain(createKeywordBaseline(findUnit), 'Agent sloeg mij gisteren, schandalig');
    expect(explanation.similar).toEqual([]);
    expect(explanation.probabilities.grievance!.value).toBe(true);
  });
});
