import type { Classification, Scored } from '../../domain/types.js';
import { FIELDS, labelIndex } from '../fields.js';
import type { FieldName, FieldSpec } from '../fields.js';
import type { LabelledPost } from '../labelled.js';
import { binaryMetrics, calibration, classificationMetrics } from './metrics.js';
import type { Calibration, ClassificationMetrics } from './metrics.js';

/**
 * Scores classifications against labelled posts, per field. Works for any Classifier (model or
 * keyword baseline). Binary fields are scored on the classifier's decisions (its own thresholds)
 * and calibrated on P(true). Grievance-scoped fields are scored on the posts that truly are
 * grievances, with the top class of the field's distribution (the head's own answer, even when the
 * grievance head said no); `endToEndAccuracy` is the deployed view: null-or-label as emitted, on every
 * post whose grievance label is known.
 */
export interface FieldEvaluation {
  field: FieldName;
  binary: boolean;
  n: number;
  /** Binary fields: the positive class. */
  positive: { precision: number; recall: number; f1: number } | null;
  metrics: ClassificationMetrics;
  calibration: Calibration;
  endToEndAccuracy: number | null;
}

export interface Headline {
  grievanceF1: number;
  categoryMacroF1: number;
  lodgedMacroF1: number;
}

export interface Evaluation {
  n: number;
  headline: Headline;
  fields: Record<FieldName, FieldEvaluation>;
}

const NONE = '(none)';

function topOf(field: FieldSpec, c: Classification): { label: string; p: number } {
  const dist = c.distributions[field.name];
  if (dist && Object.keys(dist).length) {
    let best: { label: string; p: number } = { label: NONE, p: -1 };
    for (const label of field.labels) if ((dist[label] ?? -1) > best.p) best = { label, p: dist[label]! };
    if (best.p >= 0) return best;
  }
  const scored = c[field.key] as Scored<string | null>;
  return { label: scored.value ?? NONE, p: scored.value === null ? 0 : scored.p };
}

export function evaluateField(field: FieldSpec, posts: readonly LabelledPost[], classifications: readonly Classification[]): FieldEvaluation {
  const actual: number[] = [];
  const predictedLabels: string[] = [];
  const probabilities: number[] = [];
  const outcomes: boolean[] = [];
  posts.forEach((post, i) => {
    const truth = labelIndex(post, field);
    if (truth === undefined) return;
    const c = classifications[i]!;
    actual.push(truth);
    if (field.binary) {
      const scored = c[field.key] as Scored<boolean>;
      predictedLabels.push(String(scored.value));
      probabilities.push(scored.p);
      outcomes.push(truth === 1);
    } else {
      const top = topOf(field, c);
      predictedLabels.push(top.label);
      probabilities.push(top.p);
      outcomes.push(top.label === field.labels[truth]);
    }
  });
  const labels = predictedLabels.includes(NONE) ? [...field.labels, NONE] : [...field.labels];
  const metrics = classificationMetrics(labels, actual, predictedLabels.map((l) => labels.indexOf(l)));
  const positive = field.binary ? binaryMetrics(actual.map((a) => a === 1), predictedLabels.map((l) => l === 'true')) : null;
  return {
    field: field.name,
    binary: field.binary,
    n: actual.length,
    positive: positive && { precision: positive.precision, recall: positive.recall, f1: positive.f1 },
    metrics,
    calibration: calibration(probabilities, outcomes),
    endToEndAccuracy: field.scope === 'grievance' ? endToEnd(field, posts, classifications) : null,
  };
}

function endToEnd(field: FieldSpec, posts: readonly LabelledPost[], classifications: readonly Classification[]): number | null {
  let right = 0;
  let n = 0;
  posts.forEach((post, i) => {
    if (post.grievance === undefined) return;
    const truth = post.grievance ? post[field.name] : null;
    if (truth === undefined) return;
    n++;
    if ((classifications[i]![field.key] as Scored<string | null>).value === truth) right++;
  });
  return n ? right / n : null;
}

export function evaluate(posts: readonly LabelledPost[], classifications: readonly Classification[]): Evaluation {
  if (posts.length !== classifications.length) throw new Error('evaluate: one classification per post expected');
  const fields = {} as Record<FieldName, FieldEvaluation>;
  for (const field of FIELDS) fields[field.name] = evaluateField(field, posts, classifications);
  return {
    n: posts.length,
    headline: {
      grievanceF1: fields.grievance.positive?.f1 ?? 0,
      categoryMacroF1: fields.category.metrics.macroF1,
      lodgedMacroF1: fields.lodged.metrics.macroF1,
    },
    fields,
  };
}
