import { binaryMetrics, classificationMetrics } from '../eval/metrics.js';
import { FIELDS, labelIndex } from '../fields.js';
import type { FieldName, FieldSpec } from '../fields.js';
import type { LabelledPost } from '../labelled.js';
import { quantiseRows } from '../lexical/model.js';
import type { LexicalHead, LexicalModel } from '../lexical/model.js';
import { buildVocabulary, createVectoriser } from '../lexical/vocabulary.js';
import { DEFAULT_CHAR_NGRAMS } from '../lexical/terms.js';
import type { HeadArtifact } from './artifact.js';
import { argmax, compileHead, compileLexical, fuseDistributions, headProbabilities, lexicalProbabilities } from './predict.js';
import { DEFAULT_SOFTMAX_OPTIONS, trainSoftmax } from './softmax-regression.js';
import type { Dataset, FeatureRow, SoftmaxTrainOptions, SparseVector } from './softmax-regression.js';
import { chooseThreshold, DEFAULT_THRESHOLD } from './thresholds.js';

/** Labelled posts with their embeddings, index-aligned. */
export interface EmbeddedSet {
  posts: readonly LabelledPost[];
  embeddings: readonly Float32Array[];
}

/**
 * How the lexical heads are trained: TF-IDF terms seen in at least `minDf` training posts, a
 * softmax regression per field over them, and the fusion weights tried on dev (0 = embedding only).
 */
export interface LexicalTraining {
  minDf: number;
  /** Character n-gram sizes, ascending. */
  charNgrams: readonly number[];
  options: Omit<SoftmaxTrainOptions, 'seed'>;
  fusionWeights: readonly number[];
}

export const DEFAULT_LEXICAL_TRAINING: LexicalTraining = {
  minDf: 2,
  charNgrams: DEFAULT_CHAR_NGRAMS,
  options: { ...DEFAULT_SOFTMAX_OPTIONS, l2: 1e-5, learningRate: 0.02, maxEpochs: 60, patience: 4 },
  fusionWeights: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
};

export interface TrainedHeads {
  fields: Record<FieldName, HeadArtifact>;
  /** The vocabulary and the lexical heads of the fields whose fusion weight is above 0. */
  lexical: LexicalModel | null;
}

/** The rows of a set that count for a field's head, as a training dataset. */
export function fieldDataset<Row extends FeatureRow>(posts: readonly LabelledPost[], rows: readonly Row[], field: FieldSpec, dim?: number): Dataset<Row> {
  const x: Row[] = [];
  const y: number[] = [];
  posts.forEach((post, i) => {
    const c = labelIndex(post, field);
    if (c === undefined) return;
    x.push(rows[i]!);
    y.push(c);
  });
  return { x, y, dim };
}

interface LexicalRows {
  train: readonly SparseVector[];
  dev: readonly SparseVector[];
  dim: number;
  training: LexicalTraining;
}

/**
 * Trains one head, and its lexical head when lexical rows are given; picks the fusion weight, then
 * the binary threshold, on dev, and measures the result on dev.
 */
export function trainHead(field: FieldSpec, train: EmbeddedSet, dev: EmbeddedSet, options: SoftmaxTrainOptions, lexicalRows: LexicalRows | null = null): { head: HeadArtifact; lexical: LexicalHead | null } {
  const trainSet = fieldDataset(train.posts, train.embeddings, field);
  const devSet = fieldDataset(dev.posts, dev.embeddings, field);
  const present = new Set(trainSet.y).size;
  if (present < 2) throw new Error(`field ${field.name}: the training data holds ${present} of its classes; need at least 2`);
  const { fit, bias, priorCorrected } = fitFieldHead(field, trainSet, devSet, options);
  const base: Omit<HeadArtifact, 'threshold' | 'dev'> = {
    labels: [...field.labels],
    weights: fit.weights,
    bias,
    train: { n: trainSet.x.length, epochs: fit.epochs, bestEpoch: fit.bestEpoch, classWeights: fit.classWeights, priorCorrected, trainLoss: fit.trainLoss, devLoss: fit.devLoss },
    lexicalWeight: 0,
  };
  // Dev figures come from the stored (rounded, quantised) weights, exactly what inference will use.
  const compiled = compileHead(field, { ...base, threshold: null, dev: {} });
  const embeddingProbabilities = devSet.x.map((x) => headProbabilities(compiled, x));
  let chosen = { weight: 0, probabilities: embeddingProbabilities, lexical: null as LexicalHead | null };
  if (lexicalRows) {
    const lexicalDevSet = fieldDataset(dev.posts, lexicalRows.dev, field, lexicalRows.dim);
    const lexicalFit = fitFieldHead(field, fieldDataset(train.posts, lexicalRows.train, field, lexicalRows.dim), lexicalDevSet, { ...lexicalRows.training.options, seed: options.seed });
    const lexical: LexicalHead = { labels: [...field.labels], bias: lexicalFit.bias, ...quantiseRows(lexicalFit.fit.weights) };
    const layer = compileLexical(lexical, 1);
    const lexicalDev = lexicalDevSet.x.map((row) => lexicalProbabilities(layer, row));
    let bestScore = devScore(field, embeddingProbabilities, devSet.y).score;
    for (const weight of lexicalRows.training.fusionWeights) {
      if (weight <= 0) continue;
      const probabilities = embeddingProbabilities.map((p, i) => fuseDistributions(p, lexicalDev[i]!, weight));
      const { score } = devScore(field, probabilities, devSet.y);
      if (score > bestScore) {
        bestScore = score;
        chosen = { weight, probabilities, lexical };
      }
    }
  }
  const { threshold, dev: devMetrics } = devScore(field, chosen.probabilities, devSet.y);
  return { head: { ...base, lexicalWeight: chosen.weight, threshold, dev: devMetrics }, lexical: chosen.lexical };
}

/** A field's softmax head on any rows (embeddings or TF-IDF), early-stopped on dev, with its stored bias. */
function fitFieldHead<Row extends FeatureRow>(field: FieldSpec, trainSet: Dataset<Row>, devSet: Dataset<Row>, options: SoftmaxTrainOptions) {
  const fit = trainSoftmax(trainSet, devSet.x.length ? devSet : null, field.labels.length, options);
  const priorCorrected = field.binary && options.classWeighting === 'balanced';
  return { fit, priorCorrected, bias: priorCorrected ? priorCorrectedBias(fit.bias, trainSet.y) : fit.bias };
}

/**
 * Balanced class weights train a head as if every class were equally frequent. For a binary head
 * the decision is re-tuned on dev anyway, so shift the bias back to the real class prior
 * (b_c += log π_c): same ranking, same best F1, but P(true) is again a calibrated probability.
 */
function priorCorrectedBias(bias: readonly number[], y: readonly number[]): number[] {
  return bias.map((b, c) => Number((b + Math.log(Math.max(y.filter((v) => v === c).length, 1) / y.length)).toPrecision(7)));
}

/** The dev score a head is chosen by (F1 at the best threshold, or macro-F1), with its threshold and metrics. */
function devScore(field: FieldSpec, probabilities: readonly Float64Array[], y: readonly number[]): { score: number; threshold: number | null; dev: HeadArtifact['dev'] } {
  if (field.binary) {
    const pTrue = probabilities.map((p) => p[1]!);
    const truth = y.map((c) => c === 1);
    const choice = y.length ? chooseThreshold(pTrue, truth) : { threshold: DEFAULT_THRESHOLD };
    const at = (t: number) => binaryMetrics(truth, pTrue.map((p) => p >= t));
    const chosen = at(choice.threshold);
    return { score: chosen.f1, threshold: choice.threshold, dev: { n: y.length, f1: chosen.f1, precision: chosen.precision, recall: chosen.recall, f1At05: at(0.5).f1 } };
  }
  const metrics = classificationMetrics(field.labels, [...y], probabilities.map(argmax));
  return { score: metrics.macroF1, threshold: null, dev: { n: y.length, macroF1: metrics.macroF1, accuracy: metrics.accuracy } };
}

/**
 * Trains every field's head. With `lexical`, a TF-IDF vocabulary is built on `vocabularyFrom` (the
 * training posts unless told otherwise) and each field also gets a lexical head, fused with the
 * embedding head by a weight chosen on dev. The vocabulary is stored in the model folder as text,
 * so it must come from the project's corpus, never from real people's posts (review labels).
 */
export function trainHeads(train: EmbeddedSet, dev: EmbeddedSet, options: SoftmaxTrainOptions, onField?: (field: FieldName, head: HeadArtifact) => void, lexical: LexicalTraining | null = null, vocabularyFrom: readonly LabelledPost[] = train.posts): TrainedHeads {
  let rows: LexicalRows | null = null;
  let vocabulary = null;
  if (lexical) {
    vocabulary = buildVocabulary(vocabularyFrom.map((p) => p.text), lexical.minDf, lexical.charNgrams);
    const vectoriser = createVectoriser(vocabulary);
    rows = { train: train.posts.map((p) => vectoriser.vectorise(p.text)), dev: dev.posts.map((p) => vectoriser.vectorise(p.text)), dim: vectoriser.dim, training: lexical };
  }
  const fields = {} as Record<FieldName, HeadArtifact>;
  const lexicalHeads: LexicalModel['fields'] = {};
  for (const field of FIELDS) {
    const trained = trainHead(field, train, dev, options, rows);
    fields[field.name] = trained.head;
    if (trained.lexical) lexicalHeads[field.name] = trained.lexical;
    onField?.(field.name, trained.head);
  }
  return { fields, lexical: vocabulary && Object.keys(lexicalHeads).length ? { vocabulary, fields: lexicalHeads } : null };
}
