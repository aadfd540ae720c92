/**
 * The decision threshold of a binary head, chosen on dev to maximise F1 of the positive class.
 * Predictions are `p >= threshold`. Among thresholds with the same (best) F1 the one in the
 * middle of the widest gap is taken: the threshold sits halfway between the lowest positive score
 * kept and the highest score below it, so a small shift in scores does not flip dev decisions.
 */
export interface ThresholdChoice {
  threshold: number;
  f1: number;
  precision: number;
  recall: number;
}

export const DEFAULT_THRESHOLD = 0.5;

export function chooseThreshold(scores: readonly number[], positive: readonly boolean[]): ThresholdChoice {
  if (scores.length !== positive.length) throw new Error('chooseThreshold: scores and labels differ in length');
  const totalPositive = positive.filter(Boolean).length;
  if (totalPositive === 0 || totalPositive === scores.length) {
    return { threshold: DEFAULT_THRESHOLD, ...prf(scores, positive, DEFAULT_THRESHOLD) };
  }
  const order = scores.map((_s, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  let tp = 0;
  let fp = 0;
  let best: { f1: number; index: number } = { f1: -1, index: 0 };
  // Walk down the scores; at each distinct score, "p >= that score" is a candidate threshold.
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    if (positive[i]) tp++; else fp++;
    const next = order[r + 1];
    if (next !== undefined && scores[next] === scores[i]) continue;
    const precision = tp / (tp + fp);
    const recall = tp / totalPositive;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1 + 1e-12) best = { f1, index: r };
  }
  const lowestKept = scores[order[best.index]!]!;
  const below = order[best.index + 1];
  const threshold = below === undefined ? lowestKept / 2 : (lowestKept + scores[below]!) / 2;
  return { threshold, ...prf(scores, positive, threshold) };
}

function prf(scores: readonly number[], positive: readonly boolean[], threshold: number): Omit<ThresholdChoice, 'threshold'> {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  scores.forEach((s, i) => {
    const predicted = s >= threshold;
    if (predicted && positive[i]) tp++;
    else if (predicted) fp++;
    else if (positive[i]) fn++;
  });
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { f1, precision, recall };
}
