import { createPrng, shuffleInPlace } from './prng.js';

/**
 * Multinomial logistic regression (softmax) on fixed embeddings: one linear layer, L2 on the
 * weights, optional balanced class weights, mini-batch Adam with a seeded shuffle, early stopping on
 * the dev loss (the best epoch's weights are kept). Deterministic: the same seed, data and options
 * give bit-identical weights, because every sum runs in the same order.
 */
export interface SoftmaxTrainOptions {
  seed: number;
  /** L2 penalty on the weights (not the bias), added to the mean loss as l2/2 · ‖W‖². */
  l2: number;
  learningRate: number;
  maxEpochs: number;
  batchSize: number;
  /** Epochs without a dev-loss improvement before stopping. */
  patience: number;
  /** 'balanced': weight w_c = n / (classes present · n_c), so every class counts equally. */
  classWeighting: 'balanced' | 'none';
}

export const DEFAULT_SOFTMAX_OPTIONS: SoftmaxTrainOptions = {
  seed: 42, l2: 1e-4, learningRate: 0.01, maxEpochs: 300, batchSize: 32, patience: 15, classWeighting: 'balanced',
};

/** A feature row with few non-zero entries: ascending indices and their values. */
export interface SparseVector {
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

/** A dense row (an embedding) or a sparse one (lexical features). */
export type FeatureRow = ArrayLike<number> | SparseVector;

export interface Dataset<Row extends FeatureRow = Float32Array> {
  x: Row[];
  /** Class index per row, 0 ≤ y < k. */
  y: number[];
  /** Feature count; needed for sparse rows, taken from the first row when dense. */
  dim?: number;
}

function isSparse(x: FeatureRow): x is SparseVector {
  return (x as SparseVector).indices !== undefined;
}

/** w[offset .. offset + d) · x */
function dotRow(w: ArrayLike<number>, offset: number, x: FeatureRow, d: number): number {
  let z = 0;
  if (isSparse(x)) {
    for (let j = 0; j < x.indices.length; j++) z += w[offset + x.indices[j]!]! * x.values[j]!;
  } else {
    for (let j = 0; j < d; j++) z += w[offset + j]! * x[j]!;
  }
  return z;
}

/** g[offset .. offset + d) += scale · x */
function addScaledRow(g: Float64Array, offset: number, scale: number, x: FeatureRow, d: number): void {
  if (isSparse(x)) {
    for (let j = 0; j < x.indices.length; j++) {
      const at = offset + x.indices[j]!;
      g[at] = g[at]! + scale * x.values[j]!;
    }
  } else {
    for (let j = 0; j < d; j++) g[offset + j] = g[offset + j]! + scale * x[j]!;
  }
}

function datasetDim(data: Dataset<FeatureRow>): number {
  if (data.dim !== undefined) return data.dim;
  const first = data.x[0];
  if (first === undefined || isSparse(first)) throw new Error('dataset of sparse rows needs its dim');
  return first.length;
}

export interface SoftmaxFit {
  /** k × d */
  weights: number[][];
  bias: number[];
  classWeights: number[];
  epochs: number;
  bestEpoch: number;
  trainLoss: number;
  devLoss: number | null;
}

export function classWeightsFor(y: number[], k: number, mode: SoftmaxTrainOptions['classWeighting']): number[] {
  if (mode === 'none') return new Array<number>(k).fill(1);
  const counts = new Array<number>(k).fill(0);
  for (const c of y) counts[c]!++;
  const present = counts.filter((n) => n > 0).length;
  return counts.map((n) => (n > 0 ? y.length / (present * n) : 0));
}

/** softmax(W x + b) into `out` (length k); W is row-major k × d. */
export function softmaxInto(w: ArrayLike<number>, b: ArrayLike<number>, x: FeatureRow, k: number, d: number, out: Float64Array): Float64Array {
  for (let c = 0; c < k; c++) out[c] = b[c]! + dotRow(w, c * d, x, d);
  return softmaxInPlace(out, k);
}

/** Turns the first k logits in `z` into their softmax, in place. */
export function softmaxInPlace(z: Float64Array, k: number): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < k; c++) if (z[c]! > max) max = z[c]!;
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(z[c]! - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) z[c] = z[c]! / sum;
  return z;
}

/** Class-weighted mean cross-entropy of the rows (weights normalised by their sum). */
export function weightedLoss(w: Float64Array, b: Float64Array, data: Dataset<FeatureRow>, k: number, classWeights: number[]): number {
  const d = w.length / k;
  const p = new Float64Array(k);
  let loss = 0;
  let total = 0;
  for (let i = 0; i < data.x.length; i++) {
    const y = data.y[i]!;
    const weight = classWeights[y] ?? 1;
    softmaxInto(w, b, data.x[i]!, k, d, p);
    loss -= weight * Math.log(Math.max(p[y]!, 1e-12));
    total += weight;
  }
  return total > 0 ? loss / total : 0;
}

const round7 = (v: number) => Number(v.toPrecision(7));

export function trainSoftmax<Row extends FeatureRow>(train: Dataset<Row>, dev: Dataset<Row> | null, k: number, options: SoftmaxTrainOptions = DEFAULT_SOFTMAX_OPTIONS): SoftmaxFit {
  const n = train.x.length;
  if (n === 0) throw new Error('trainSoftmax: no training rows');
  if (k < 2) throw new Error('trainSoftmax: need at least two classes');
  const d = datasetDim(train);
  const classWeights = classWeightsFor(train.y, k, options.classWeighting);
  const w = new Float64Array(k * d);
  const b = new Float64Array(k);
  const adam = { mw: new Float64Array(k * d), vw: new Float64Array(k * d), mb: new Float64Array(k), vb: new Float64Array(k), t: 0 };
  const gw = new Float64Array(k * d);
  const gb = new Float64Array(k);
  const p = new Float64Array(k);
  const random = createPrng(options.seed);
  const order = Array.from({ length: n }, (_, i) => i);
  const useDev = dev !== null && dev.x.length > 0;
  let best = { w: w.slice(), b: b.slice(), loss: Infinity, epoch: 0 };
  let epoch = 0;
  let stale = 0;

  while (epoch < options.maxEpochs) {
    epoch++;
    shuffleInPlace(order, random);
    for (let start = 0; start < n; start += options.batchSize) {
      gw.fill(0);
      gb.fill(0);
      const end = Math.min(n, start + options.batchSize);
      let weightSum = 0;
      for (let s = start; s < end; s++) weightSum += classWeights[train.y[order[s]!]!]!;
      if (weightSum === 0) continue;
      for (let s = start; s < end; s++) {
        const i = order[s]!;
        const x = train.x[i]!;
        const y = train.y[i]!;
        const scale = classWeights[y]! / weightSum;
        softmaxInto(w, b, x, k, d, p);
        for (let c = 0; c < k; c++) {
          const g = scale * (p[c]! - (c === y ? 1 : 0));
          if (g === 0) continue;
          gb[c] = gb[c]! + g;
          addScaledRow(gw, c * d, g, x, d);
        }
      }
      for (let j = 0; j < gw.length; j++) gw[j] = gw[j]! + options.l2 * w[j]!;
      adamStep(adam, w, gw, b, gb, options.learningRate);
    }
    if (!useDev) continue;
    const devLoss = weightedLoss(w, b, dev, k, classWeights);
    if (devLoss < best.loss - 1e-7) {
      best = { w: w.slice(), b: b.slice(), loss: devLoss, epoch };
      stale = 0;
    } else if (++stale >= options.patience) {
      break;
    }
  }
  const finalW = useDev ? best.w : w;
  const finalB = useDev ? best.b : b;
  const weights = Array.from({ length: k }, (_, c) => Array.from(finalW.subarray(c * d, (c + 1) * d), round7));
  return {
    weights,
    bias: Array.from(finalB, round7),
    classWeights,
    epochs: epoch,
    bestEpoch: useDev ? best.epoch : epoch,
    trainLoss: weightedLoss(finalW, finalB, train, k, classWeights),
    devLoss: useDev ? best.loss : null,
  };
}

interface AdamState { mw: Float64Array; vw: Float64Array; mb: Float64Array; vb: Float64Array; t: number }

function adamStep(state: AdamState, w: Float64Array, gw: Float64Array, b: Float64Array, gb: Float64Array, lr: number): void {
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  state.t++;
  const c1 = 1 - beta1 ** state.t;
  const c2 = 1 - beta2 ** state.t;
  const update = (param: Float64Array, grad: Float64Array, m: Float64Array, v: Float64Array) => {
    for (let j = 0; j < param.length; j++) {
      const g = grad[j]!;
      m[j] = beta1 * m[j]! + (1 - beta1) * g;
      v[j] = beta2 * v[j]! + (1 - beta2) * g * g;
      param[j] = param[j]! - (lr * (m[j]! / c1)) / (Math.sqrt(v[j]! / c2) + eps);
    }
  };
  update(w, gw, state.mw, state.vw);
  update(b, gb, state.mb, state.vb);
}
