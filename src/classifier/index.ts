import type { Classifier } from '../domain/types.js';
import { createKeywordBaseline, KEYWORD_BASELINE_VERSION } from './keyword-baseline.js';
import { loadModelClassifier } from './model-classifier.js';
import { findUnit } from './places/place-units.js';

export { KEYWORD_BASELINE_VERSION };
export { explain } from './explain.js';
export type { Explanation } from './explain.js';

/**
 * Loads the classifier named by CLASSIFIER_MODEL (callers keep it once per process). `keyword-baseline`
 * is the transparent rule baseline; anything else is a learned model: a model folder such as
 * models/klachtsignaal-nl (encoder + heads.json), a folder holding only heads.json, or a hub id such as
 * Xenova/multilingual-e5-small whose heads were trained with `npm run train -- --model <id>`.
 */
export async function loadClassifier(modelRef: string, options: { batchSize?: number } = {}): Promise<Classifier> {
  if (modelRef === 'keyword-baseline') return createKeywordBaseline(findUnit);
  try {
    return await loadModelClassifier(modelRef, options);
  } catch (error) {
    throw new Error(`model "${modelRef}" cannot be loaded: ${(error as Error).message}`, { cause: error });
  }
}
