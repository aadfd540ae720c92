import { FIELDS } from '../fields.js';
import type { FieldName, FieldSpec } from '../fields.js';
import type { HeadArtifact, HeadsArtifact } from './artifact.js';
import { softmaxInto } from './softmax-regression.js';

/** A head flattened for inference: row-major k × d weights in one typed array. */
export interface CompiledHead {
  field: FieldSpec;
  labels: readonly string[];
  k: number;
  d: number;
  w: Float64Array;
  b: Float64Array;
  threshold: number | null;
}

export type CompiledHeads = Record<FieldName, CompiledHead>;
export type FieldProbabilities = Record<FieldName, Float64Array>;

export function compileHead(field: FieldSpec, head: HeadArtifact): CompiledHead {
  const k = head.labels.length;
  const d = head.weights[0]?.length ?? 0;
  const w = new Float64Array(k * d);
  head.weights.forEach((row, c) => w.set(row, c * d));
  return { field, labels: head.labels, k, d, w, b: Float64Array.from(head.bias), threshold: head.threshold };
}

export function compileHeads(artifact: Pick<HeadsArtifact, 'fields'>): CompiledHeads {
  const compiled = {} as CompiledHeads;
  for (const field of FIELDS) {
    const head = artifact.fields[field.name];
    if (head.labels.join() !== field.labels.join()) {
      throw new Error(`head ${field.name} has labels [${head.labels.join(', ')}], the taxonomy has [${field.labels.join(', ')}]; retrain the heads`);
    }
    compiled[field.name] = compileHead(field, head);
  }
  return compiled;
}

export function headProbabilities(head: CompiledHead, x: ArrayLike<number>): Float64Array {
  return softmaxInto(head.w, head.b, x, head.k, head.d, new Float64Array(head.k));
}

/** Every field's class distribution for one embedding. */
export function predictFields(heads: CompiledHeads, x: ArrayLike<number>): FieldProbabilities {
  const out = {} as FieldProbabilities;
  for (const field of FIELDS) out[field.name] = headProbabilities(heads[field.name], x);
  return out;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
