import type { Classification, Classifier } from '../domain/types.js';
import { nearestExamples } from './examples.js';
import { FIELDS } from './fields.js';
import type { SimilarExample } from './examples.js';
import type { ModelClassifier } from './model-classifier.js';

/**
 * Why did the classifier label a post this way? Every field with its value, probability and full
 * distribution, plus the labelled training examples closest to the post in embedding space (cosine).
 * Works with any Classifier; only a learned model has examples (`similar` is empty otherwise).
 */
export interface Explanation {
  version: string;
  classification: Classification;
  /** P(value) per taxonomy field, flattened from the classification for display. */
  probabilities: Record<string, { value: string | boolean | null; p: number }>;
  similar: SimilarExample[];
}

export function isModelClassifier(classifier: Classifier): classifier is ModelClassifier {
  return (classifier as Partial<ModelClassifier>).kind === 'model';
}

export async function explain(classifier: Classifier, text: string, k = 3): Promise<Explanation> {
  let classification: Classification;
  let similar: SimilarExample[] = [];
  if (isModelClassifier(classifier)) {
    const [embedding] = await classifier.embed([text]);
    classification = classifier.classifyEmbedded([text], [embedding!])[0]!;
    const store = await classifier.examples();
    if (store) similar = nearestExamples(store, embedding!, k).map((s) => ({ ...s, similarity: Math.round(s.similarity * 1e4) / 1e4 }));
  } else {
    [classification] = (await classifier.classify([text])) as [Classification];
  }
  // Keyed by the taxonomy's machine names (police_related), as everywhere people read labels.
  const probabilities: Explanation['probabilities'] = {};
  for (const field of FIELDS) probabilities[field.name] = { value: classification[field.key].value, p: classification[field.key].p };
  probabilities.unit = { value: classification.unit.value, p: classification.unit.p };
  return { version: classifier.version, classification, probabilities, similar };
}
