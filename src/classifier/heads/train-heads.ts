import { binaryMetrics, classificationMetrics } from '../eval/metrics.js';
import { FIELDS, labelIndex } from '../fields.js';
import type { FieldName, FieldSpec } from '../fields.js';
import type { LabelledPost } from '../labelled.js';
import type { HeadArtifact } from './artifact.js';
import { argmax, compileHead, headProbabilities } from './predict.js';
import { trainSoftmax } from './softmax-regression.js';
import type { Dataset, SoftmaxTrainOptions } from './softmax-regression.js';
import { chooseThreshold, DEFAULT_THRESHOLD } from './thresholds.js';

/** Labelled posts with their embeddings, index-aligned. */
export interface EmbeddedSet {
  posts: readonly LabelledPost[];
  embeddings: readonly Float32Array[];
}

/** The rows of a set that count for a field's head, as a training dataset. */
export function fieldDataset(set: EmbeddedSet, field: FieldSpec): Dataset {
  const x: Float32Array[] = [];
  const y: number[] = [];
  set.posts.forEach((post, i) => {
    const c = labelIndex(post, field);
    if (c === undefined) return;
    x.push(set.embeddings[i]!);
    y.push(c);
  });
  return { x, y };
}

/** Trains one head, picks the binary threshold on dev, and measures it on dev. */
export function trainHead(field: FieldSpec, train: EmbeddedSet, dev: EmbeddedSet, options: SoftmaxTrainOptions): HeadArtifact {
  const trainSet = fieldDataset(train, field);
  const devSet = fieldDataset(dev, field);
  const present = new Set(trainSet.y).size;
  if (present < 2) throw new Error(`field ${field.name}: the training data holds ${present} of its classes; need at least 2`);
  const fit = trainSoftmax(trainSet, devSet.x.length ? devSet : null, field.labels.length, options);
  // Balanced class weights train the head as if every class were equally frequent. For a binary
  // head the decision is re-tuned on dev anyway, so shift the bias back to the real class prior
  // (b_c += log π_c): same ranking, same best F1, but P(true) is again a calibrated probability.
  const priorCorrected = field.binary && options.classWeighting === 'balanced';
  const bias = priorCorrected ? fit.bias.map((b, c) => Number((b + Math.log(Math.max(trainSet.y.filter((y) => y === c).length, 1) / trainSet.y.length)).toPrecision(7))) : fit.bias;
  const base: Omit<HeadArtifact, 'threshold' | 'dev'> = {
    labels: [...field.labels],
    weights: fit.weights,
    bias,
    train: { n: trainSet.x.length, epochs: fit.epochs, bestEpoch: fit.bestEpoch, classWeights: fit.classWeights, priorCorrected, trainLoss: fit.trainLoss, devLoss: fit.devLoss },
  };
  // Dev figures come from the stored (rounded) weights, exactly what inference will use.
  const compiled = compileHead(field, { ...base, threshold: null, dev: {} });
  const probabilities = devSet.x.map((x) => headProbabilities(compiled, x));
  if (field.binary) {
    const pTrue = probabilities.map((p) => p[1]!);
    const truth = devSet.y.map((c) => c === 1);
    const choice = devSet.x.length ? chooseThreshold(pTrue, truth) : { threshold: DEFAULT_THRESHOLD };
    const at = (t: number) => binaryMetrics(truth, pTrue.map((p) => p >= t));
    const chosen = at(choice.threshold);
    return {
      ...base,
      threshold: choice.threshold,
      dev: { n: devSet.x.length, f1: chosen.f1, precision: chosen.precision, recall: chosen.recall, f1At05: at(0.5).f1 },
    };
  }
  const metrics = classificationMetrics(field.labels, devSet.y, probabilities.map(argmax));
  return { ...base, threshold: null, dev: { n: devSet.x.length, macroF1: metrics.macroF1, accuracy: metrics.accuracy } };
}

export function trainHeads(train: EmbeddedSet, dev: EmbeddedSet, options: SoftmaxTrainOptions, onField?: (field: FieldName, head: HeadArtifact) => void): Record<FieldName, HeadArtifact> {
  const heads = {} as Record<FieldName, HeadArtifact>;
  for (const field of FIELDS) {
    heads[field.name] = trainHead(field, train, dev, options);
    onField?.(field.name, heads[field.name]);
  }
  return heads;
}
