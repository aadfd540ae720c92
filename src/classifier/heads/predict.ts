import { FIELDS } from '../fields.js';
import type { FieldName, FieldSpec } from '../fields.js';
import type { LexicalHead, LexicalModel } from '../lexical/model.js';
import type { HeadArtifact, HeadsArtifact } from './artifact.js';
import { softmaxInPlace, softmaxInto } from './softmax-regression.js';
import type { SparseVector } from './softmax-regression.js';

/** A head flattened for inference: row-major k × d weights in one typed array. */
export interface CompiledHead {
  field: FieldSpec;
  labels: readonly string[];
  k: number;
  d: number;
  w: Float64Array;
  b: Float64Array;
  threshold: number | null;
  lexical: LexicalLayer | null;
}

/**
 * A lexical head for inference. Its int8 weights sit feature-major in `qT`, a d × stride matrix
 * that compileHeads shares among all fields (this head's k columns start at `offset`), with one
 * scale per column: a post touches a few hundred of the ~10^5 features, and every touched
 * feature's weights for all fields are then one short contiguous run in a matrix small enough to
 * stay in cache. Logit = b + scale · Σ_j q_j x_j, the stored head exactly.
 */
export interface LexicalLayer {
  k: number;
  d: number;
  qT: Int8Array;
  scales: Float64Array;
  stride: number;
  offset: number;
  b: Float64Array;
  /** Fusion weight a. */
  weight: number;
}

export type CompiledHeads = Record<FieldName, CompiledHead>;
export type FieldProbabilities = Record<FieldName, Float64Array>;

/** Lexical heads (with their fusion weights) as layers over one shared feature-major matrix. */
export function compileLexicalLayers(heads: readonly { head: LexicalHead; weight: number }[]): LexicalLayer[] {
  const stride = heads.reduce((sum, { head }) => sum + head.labels.length, 0);
  const d = heads.length ? heads[0]!.head.q.length / heads[0]!.head.labels.length : 0;
  const qT = new Int8Array(d * stride);
  const scales = new Float64Array(stride);
  let offset = 0;
  return heads.map(({ head, weight }) => {
    const k = head.labels.length;
    if (head.q.length !== k * d) throw new Error('lexical heads over different vocabularies');
    for (let c = 0; c < k; c++) {
      scales[offset + c] = head.scales[c]!;
      for (let j = 0; j < d; j++) qT[j * stride + offset + c] = head.q[c * d + j]!;
    }
    const layer = { k, d, qT, scales, stride, offset, b: Float64Array.from(head.bias), weight };
    offset += k;
    return layer;
  });
}

export function compileLexical(head: LexicalHead, weight: number): LexicalLayer {
  return compileLexicalLayers([{ head, weight }])[0]!;
}

/** scale · Σ_j x_j · qT[j, ·] over a post's TF-IDF row: the logits (without bias) of every layer sharing `qT`. */
function lexicalDot(layer: LexicalLayer, row: SparseVector): Float64Array {
  const { qT, stride, scales } = layer;
  const z = new Float64Array(stride);
  for (let j = 0; j < row.indices.length; j++) {
    const at = row.indices[j]! * stride;
    const x = row.values[j]!;
    for (let c = 0; c < stride; c++) z[c] = z[c]! + qT[at + c]! * x;
  }
  for (let c = 0; c < stride; c++) z[c] = z[c]! * scales[c]!;
  return z;
}

function lexicalSoftmax(layer: LexicalLayer, dot: Float64Array): Float64Array {
  const z = new Float64Array(layer.k);
  for (let c = 0; c < layer.k; c++) z[c] = layer.b[c]! + dot[layer.offset + c]!;
  return softmaxInPlace(z, layer.k);
}

/** The lexical head's class distribution for a post's TF-IDF row. */
export function lexicalProbabilities(layer: LexicalLayer, row: SparseVector): Float64Array {
  return lexicalSoftmax(layer, lexicalDot(layer, row));
}

export function compileHead(field: FieldSpec, head: HeadArtifact, lexical: LexicalLayer | null = null): CompiledHead {
  const k = head.labels.length;
  const d = head.weights[0]?.length ?? 0;
  const w = new Float64Array(k * d);
  head.weights.forEach((row, c) => w.set(row, c * d));
  return { field, labels: head.labels, k, d, w, b: Float64Array.from(head.bias), threshold: head.threshold, lexical };
}

export function compileHeads(artifact: Pick<HeadsArtifact, 'fields'>, lexical: LexicalModel | null = null): CompiledHeads {
  const fused: { name: FieldName; head: LexicalHead; weight: number }[] = [];
  for (const field of FIELDS) {
    const head = artifact.fields[field.name];
    if (head.labels.join() !== field.labels.join()) {
      throw new Error(`head ${field.name} has labels [${head.labels.join(', ')}], the taxonomy has [${field.labels.join(', ')}]; retrain the heads`);
    }
    if (head.lexicalWeight <= 0) continue;
    const lexicalHead = lexical?.fields[field.name];
    if (!lexicalHead) throw new Error(`head ${field.name} fuses a lexical head, but the model has none for it (lexical.json missing or incomplete); retrain the heads`);
    if (lexicalHead.labels.join() !== head.labels.join()) throw new Error(`the lexical head of ${field.name} has labels [${lexicalHead.labels.join(', ')}], heads.json has [${head.labels.join(', ')}]; retrain the heads`);
    fused.push({ name: field.name, head: lexicalHead, weight: head.lexicalWeight });
  }
  const layers = new Map(compileLexicalLayers(fused).map((layer, i) => [fused[i]!.name, layer]));
  const compiled = {} as CompiledHeads;
  for (const field of FIELDS) compiled[field.name] = compileHead(field, artifact.fields[field.name], layers.get(field.name) ?? null);
  return compiled;
}

/** True when some head fuses lexical features, so predictions need the post's lexical vector. */
export function usesLexical(heads: CompiledHeads): boolean {
  return FIELDS.some((field) => heads[field.name].lexical !== null);
}

/**
 * The log-linear pool of two distributions: softmax((1 − a) · log p + a · log q). a = 0 gives p,
 * a = 1 gives q; in between, a class both heads find unlikely stays unlikely.
 */
export function fuseDistributions(p: ArrayLike<number>, q: ArrayLike<number>, a: number): Float64Array {
  const out = new Float64Array(p.length);
  for (let c = 0; c < p.length; c++) out[c] = (1 - a) * Math.log(Math.max(p[c]!, 1e-300)) + a * Math.log(Math.max(q[c]!, 1e-300));
  return softmaxInPlace(out, out.length);
}

function fused(head: CompiledHead, x: ArrayLike<number>, lexicalDotOf: (layer: LexicalLayer) => Float64Array): Float64Array {
  const p = softmaxInto(head.w, head.b, x, head.k, head.d, new Float64Array(head.k));
  if (!head.lexical) return p;
  return fuseDistributions(p, lexicalSoftmax(head.lexical, lexicalDotOf(head.lexical)), head.lexical.weight);
}

function requireRow(head: CompiledHead, row: SparseVector | null): SparseVector {
  if (!row) throw new Error(`head ${head.field.name} fuses lexical features: pass the post's lexical vector`);
  return row;
}

export function headProbabilities(head: CompiledHead, x: ArrayLike<number>, lexicalRow: SparseVector | null = null): Float64Array {
  return fused(head, x, (layer) => lexicalDot(layer, requireRow(head, lexicalRow)));
}

/** Every field's class distribution for one embedding (and the post's lexical vector when a head fuses it). */
export function predictFields(heads: CompiledHeads, x: ArrayLike<number>, lexicalRow: SparseVector | null = null): FieldProbabilities {
  // One pass over the shared lexical matrix gives every fused field's logits.
  let dot: Float64Array | undefined;
  const out = {} as FieldProbabilities;
  for (const field of FIELDS) {
    const head = heads[field.name];
    out[field.name] = fused(head, x, (layer) => (dot ??= lexicalDot(layer, requireRow(head, lexicalRow))));
  }
  return out;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
