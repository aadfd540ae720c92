/**
 * Pure evaluation metrics: confusion matrix, precision / recall / F1 per class, macro-F1,
 * accuracy, and calibration (expected calibration error plus a 10-bin reliability table).
 * Classes are indices into a label list; no I/O, no model.
 */

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true class this is. */
  support: number;
  /** Rows predicted as this class. */
  predicted: number;
}

export interface ClassificationMetrics {
  labels: string[];
  /** matrix[actual][predicted] */
  confusion: number[][];
  perClass: ClassMetrics[];
  /** Mean F1 over the classes that occur in the truth or the predictions (as scikit-learn does). */
  macroF1: number;
  accuracy: number;
  n: number;
}

export function confusionMatrix(k: number, actual: readonly number[], predicted: readonly number[]): number[][] {
  if (actual.length !== predicted.length) throw new Error('confusionMatrix: actual and predicted differ in length');
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  actual.forEach((a, i) => {
    const p = predicted[i]!;
    if (a < 0 || a >= k || p < 0 || p >= k) throw new Error(`confusionMatrix: class index out of range at row ${i}`);
    matrix[a]![p]!++;
  });
  return matrix;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
const harmonic = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

export function classificationMetrics(labels: readonly string[], actual: readonly number[], predicted: readonly number[]): ClassificationMetrics {
  const k = labels.length;
  const confusion = confusionMatrix(k, actual, predicted);
  const perClass = labels.map((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((s, v) => s + v, 0);
    const predictedCount = confusion.reduce((s, row) => s + row[c]!, 0);
    const precision = ratio(tp, predictedCount);
    const recall = ratio(tp, support);
    return { label, precision, recall, f1: harmonic(precision, recall), support, predicted: predictedCount };
  });
  const counted = perClass.filter((m) => m.support > 0 || m.predicted > 0);
  const correct = confusion.reduce((s, row, c) => s + row[c]!, 0);
  return {
    labels: [...labels],
    confusion,
    perClass,
    macroF1: counted.length ? counted.reduce((s, m) => s + m.f1, 0) / counted.length : 0,
    accuracy: ratio(correct, actual.length),
    n: actual.length,
  };
}

/** Precision, recall and F1 of the positive class of a binary task. */
export function binaryMetrics(actual: readonly boolean[], predicted: readonly boolean[]): { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number; tn: number } {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  actual.forEach((a, i) => {
    const p = predicted[i];
    if (a && p) tp++; else if (p) fp++; else if (a) fn++; else tn++;
  });
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { precision, recall, f1: harmonic(precision, recall), tp, fp, fn, tn };
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability in the bin (null when empty). */
  confidence: number | null;
  /** Observed frequency of the outcome in the bin (null when empty). */
  frequency: number | null;
}

export interface Calibration {
  /** Expected calibration error: Σ_b (n_b / N) · |frequency_b − confidence_b|. */
  ece: number;
  bins: ReliabilityBin[];
}

/**
 * Calibration of probabilities against outcomes, in `binCount` equal-width bins over [0, 1]
 * (the last bin includes 1). For a binary field pass P(true) and whether the truth is true; for a
 * multi-class field pass the top-class probability and whether the top class was right.
 */
export function calibration(probabilities: readonly number[], outcomes: readonly boolean[], binCount = 10): Calibration {
  if (probabilities.length !== outcomes.length) throw new Error('calibration: probabilities and outcomes differ in length');
  const sums = Array.from({ length: binCount }, () => ({ count: 0, p: 0, hits: 0 }));
  probabilities.forEach((p, i) => {
    const b = Math.min(binCount - 1, Math.max(0, Math.floor(p * binCount)));
    const bin = sums[b]!;
    bin.count++;
    bin.p += p;
    if (outcomes[i]) bin.hits++;
  });
  const n = probabilities.length;
  let ece = 0;
  const bins = sums.map((s, b) => {
    const confidence = s.count ? s.p / s.count : null;
    const frequency = s.count ? s.hits / s.count : null;
    if (confidence !== null && frequency !== null) ece += (s.count / n) * Math.abs(frequency - confidence);
    return { lower: b / binCount, upper: (b + 1) / binCount, count: s.count, confidence, frequency };
  });
  return { ece, bins };
}
