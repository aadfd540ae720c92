import { describe, expect, it } from 'vitest';
import { createPrng } from './prng.js';
import { classWeightsFor, DEFAULT_SOFTMAX_OPTIONS, softmaxInto, trainSoftmax } from './softmax-regression.js';
import type { Dataset } from './softmax-regression.js';

/** Three Gaussian clusters on the unit sphere in 16 dimensions: linearly separable. */
function clusters(n: number, seed: number, d = 16, k = 3, noise = 0.15): Dataset {
  const random = createPrng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % k;
    const v = new Float32Array(d);
    for (let j = 0; j < d; j++) v[j] = noise * gauss() + (j === c ? 1 : 0);
    const norm = Math.hypot(...v);
    x.push(v.map((e) => e / norm));
    y.push(c);
  }
  return { x, y };
}

const accuracy = (fit: { weights: number[][]; bias: number[] }, data: Dataset) => {
  const k = fit.bias.length;
  const d = data.x[0]!.length;
  const w = fit.weights.flat();
  const p = new Float64Array(k);
  let right = 0;
  data.x.forEach((x, i) => {
    softmaxInto(w, fit.bias, x, k, d, p);
    if (p.indexOf(Math.max(...p)) === data.y[i]) right++;
  });
  return right / data.x.length;
};

describe('trainSoftmax', () => {
  it('learns a separable synthetic problem', () => {
    const train = clusters(300, 1);
    const test = clusters(150, 2);
    const fit = trainSoftmax(train, clusters(90, 3), 3, DEFAULT_SOFTMAX_OPTIONS);
    expect(accuracy(fit, test)).toBeGreaterThan(0.97);
    expect(fit.devLoss).not.toBeNull();
    expect(fit.devLoss!).toBeLessThan(0.3);
  });

  it('is deterministic: the same seed and data give identical weights', () => {
    const train = clusters(200, 4);
    const dev = clusters(60, 5);
    const a = trainSoftmax(train, dev, 3, { ...DEFAULT_SOFTMAX_OPTIONS, seed: 7 });
    const b = trainSoftmax(train, dev, 3, { ...DEFAULT_SOFTMAX_OPTIONS, seed: 7 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = trainSoftmax(train, dev, 3, { ...DEFAULT_SOFTMAX_OPTIONS, seed: 8 });
    expect(JSON.stringify(c.weights)).not.toBe(JSON.stringify(a.weights));
  });

  it('stops early on dev loss when a noisy problem starts to overfit, keeping the best epoch', () => {
    const fit = trainSoftmax(clusters(60, 6, 16, 3, 0.8), clusters(60, 7, 16, 3, 0.8), 3, { ...DEFAULT_SOFTMAX_OPTIONS, l2: 0, maxEpochs: 500, patience: 3 });
    expect(fit.epochs).toBeLessThan(500);
    expect(fit.epochs - fit.bestEpoch).toBe(3);
  });

  it('runs every epoch when there is no dev set', () => {
    const fit = trainSoftmax(clusters(60, 8), null, 3, { ...DEFAULT_SOFTMAX_OPTIONS, maxEpochs: 12 });
    expect(fit.epochs).toBe(12);
    expect(fit.devLoss).toBeNull();
  });

  it('class weighting lifts recall of a rare class', () => {
    const full = clusters(600, 9, 16, 2);
    // Keep every class-0 row but one class-1 row in twelve, and make the classes overlap.
    const keep = full.y.map((c, i) => c === 0 || i % 24 === 1);
    const blur = (data: Dataset): Dataset => ({ x: data.x.map((v) => v.map((e, j) => (j < 2 ? e * 0.25 + 0.3 : e))), y: data.y });
    const train = blur({ x: full.x.filter((_, i) => keep[i]), y: full.y.filter((_, i) => keep[i]) });
    const test = blur(clusters(400, 10, 16, 2));
    const recallOf1 = (fit: { weights: number[][]; bias: number[] }) => {
      const w = fit.weights.flat();
      const p = new Float64Array(2);
      let hit = 0, total = 0;
      test.x.forEach((x, i) => {
        if (test.y[i] !== 1) return;
        total++;
        softmaxInto(w, fit.bias, x, 2, 16, p);
        if (p[1]! > p[0]!) hit++;
      });
      return hit / total;
    };
    const options = { ...DEFAULT_SOFTMAX_OPTIONS, maxEpochs: 30 };
    const weighted = trainSoftmax(train, null, 2, { ...options, classWeighting: 'balanced' });
    const unweighted = trainSoftmax(train, null, 2, { ...options, classWeighting: 'none' });
    expect(recallOf1(weighted)).toBeGreaterThan(recallOf1(unweighted));
  });
});

describe('classWeightsFor', () => {
  it('weights classes inversely to their frequency; absent classes get 0', () => {
    expect(classWeightsFor([0, 0, 0, 1], 3, 'balanced')).toEqual([4 / 6, 2, 0]);
    expect(classWeightsFor([0, 1], 2, 'none')).toEqual([1, 1]);
  });
});

describe('sparse rows', () => {
  it('train exactly as the same rows given dense', () => {
    const toSparse = (x: Float32Array) => {
      const indices = Uint32Array.from([...x.keys()].filter((j) => x[j] !== 0));
      return { indices, values: Float32Array.from(indices, (j) => x[j]!) };
    };
    // Zero half the features so the sparse rows really skip entries.
    const dense = (data: Dataset): Dataset => ({ x: data.x.map((v) => v.map((e, j) => (j % 2 ? 0 : e))), y: data.y });
    const train = dense(clusters(60, 11));
    const dev = dense(clusters(30, 12));
    const sparse = (data: Dataset) => ({ x: data.x.map(toSparse), y: data.y, dim: 16 });
    const options = { ...DEFAULT_SOFTMAX_OPTIONS, maxEpochs: 20 };
    const a = trainSoftmax(train, dev, 3, options);
    const b = trainSoftmax(sparse(train), sparse(dev), 3, options);
    expect(b.weights).toEqual(a.weights);
    expect(b.bias).toEqual(a.bias);
    expect(b.devLoss).toBe(a.devLoss);
  });

  it('need their dimension', () => {
    const row = { indices: Uint32Array.of(0), values: Float32Array.of(1) };
    expect(() => trainSoftmax({ x: [row, row], y: [0, 1] }, null, 2)).toThrow(/needs its dim/);
  });
});
