import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Category, Lodged, Perspective, Severity, Unit } from '../domain/taxonomy.js';
import type { Classification, Classifier, Scored } from '../domain/types.js';
import { loadEncoder } from './encoder.js';
import type { Encoder } from './encoder.js';
import { readExamples } from './examples.js';
import type { ExampleStore } from './examples.js';
import { HEADS_FILE, modelVersion, readHeads } from './heads/artifact.js';
import type { LoadedHeads } from './heads/artifact.js';
import { argmax, compileHeads, predictFields, usesLexical } from './heads/predict.js';
import type { CompiledHeads, FieldProbabilities } from './heads/predict.js';
import { defaultHeadsDir, isEncoderFolder, modelPath, resolveEncoderSource } from './model-ref.js';
import { findUnit } from './places/place-units.js';
import { createVectoriser } from './lexical/vocabulary.js';

/**
 * The learned classifier: encoder embeddings → per-field linear heads (fused, where dev showed a
 * gain, with a linear head on the text's TF-IDF terms) → a Classification with every
 * field, its probability and the full distributions. Boolean fields carry P(true) as `p` (the
 * grievance probability is what SIGNAL_THRESHOLD compares against) and are decided by the threshold
 * stored with the heads. category / lodged / perspective / severity are null when grievance is false
 * (their `p` is then 1 − P(grievance), the probability that the field does not apply); their
 * distributions are always given. A grievance implies complaint and police_related (taxonomy), so
 * those values are forced true with it; their p stays the heads' own. The unit comes from the place
 * matcher, not from a head.
 */
export interface ModelClassifier extends Classifier {
  readonly kind: 'model';
  readonly encoder: Encoder;
  readonly heads: LoadedHeads;
  readonly headsDir: string;
  /** Embeddings as the heads see them (text prefix applied). */
  embed(texts: string[]): Promise<Float32Array[]>;
  /** Classifications from ready embeddings (one per text, same order). */
  classifyEmbedded(texts: string[], embeddings: Float32Array[]): Classification[];
  /** Every field's class distribution for a text and its embedding, unrounded. */
  fieldProbabilities(text: string, embedding: Float32Array): FieldProbabilities;
  /** The stored training examples, loaded on first use; null when the model has none. */
  examples(): Promise<ExampleStore | null>;
}

export interface ResolvedModel {
  /** What loadEncoder gets: a folder path or a hub id. */
  encoderRef: string;
  headsDir: string;
}

/**
 * A model ref is an encoder folder (heads inside it), a hub id (heads under models/<owner>--<name>/)
 * or a folder holding only heads.json (its `encoder.ref` names the encoder, relative to that folder).
 */
export async function resolveModel(ref: string, cwd = process.cwd()): Promise<ResolvedModel> {
  const path = modelPath(ref, cwd);
  if (existsSync(join(path, HEADS_FILE)) && !isEncoderFolder(path)) {
    const stored = (await readHeads(path)).artifact.encoder.ref;
    const local = isAbsolute(stored) || stored.startsWith('.') || existsSync(resolve(path, stored));
    return { encoderRef: local ? resolve(path, stored) : stored, headsDir: path };
  }
  const source = resolveEncoderSource(ref, cwd);
  return { encoderRef: source.kind === 'local' ? source.dir : source.id, headsDir: defaultHeadsDir(source) };
}

export async function loadModelClassifier(ref: string, options: { batchSize?: number } = {}): Promise<ModelClassifier> {
  const { encoderRef, headsDir } = await resolveModel(ref);
  if (!existsSync(join(headsDir, HEADS_FILE))) {
    throw new Error(`no ${HEADS_FILE} in ${headsDir}: train the heads with \`npm run train -- --model ${ref}\``);
  }
  const heads = await readHeads(headsDir);
  const { artifact } = heads;
  const encoder = await loadEncoder(encoderRef, { maxLength: artifact.encoder.maxLength, batchSize: options.batchSize });
  if (encoder.onnxSha256 !== artifact.encoder.onnxSha256) {
    throw new Error(`${join(headsDir, HEADS_FILE)} was trained on another encoder (ONNX sha256 ${artifact.encoder.onnxSha256.slice(0, 12)}…, loaded ${encoder.onnxSha256.slice(0, 12)}…); retrain with \`npm run train -- --model ${ref}\``);
  }
  if (encoder.dim !== artifact.encoder.dim) throw new Error(`heads expect ${artifact.encoder.dim} dimensions, the encoder gives ${encoder.dim}`);
  return createModelClassifier(encoder, heads, headsDir);
}

export function createModelClassifier(encoder: Encoder, heads: LoadedHeads, headsDir: string, unitOf: typeof findUnit = findUnit): ModelClassifier {
  const compiled = compileHeads(heads.artifact, heads.lexical);
  // Lexical features are computed on the raw text, without the encoder's prefix.
  const vectoriser = usesLexical(compiled) && heads.lexical ? createVectoriser(heads.lexical.vocabulary) : null;
  const fieldProbabilities = (text: string, embedding: Float32Array) => predictFields(compiled, embedding, vectoriser?.vectorise(text) ?? null);
  const prefix = heads.artifact.textPrefix;
  const examplesMeta = heads.artifact.examples;
  let examples: Promise<ExampleStore | null> | undefined;
  const embed = (texts: string[]) => encoder.embed(prefix ? texts.map((t) => prefix + t) : texts);
  const classifyEmbedded = (texts: string[], embeddings: Float32Array[]) =>
    embeddings.map((e, i) => toClassification(compiled, fieldProbabilities(texts[i]!, e), unitOf(texts[i]!)));
  return {
    kind: 'model',
    version: modelVersion(heads),
    encoder,
    heads,
    headsDir,
    embed,
    classifyEmbedded,
    fieldProbabilities,
    classify: async (texts) => (texts.length === 0 ? [] : classifyEmbedded(texts, await embed(texts))),
    examples: () => (examples ??= examplesMeta ? readExamples(headsDir, examplesMeta) : Promise.resolve(null)),
  };
}

const round = (p: number) => Math.round(p * 1e4) / 1e4;

function distribution(labels: readonly string[], p: Float64Array): Record<string, number> {
  return Object.fromEntries(labels.map((label, i) => [label, round(p[i]!)]));
}

export function toClassification(heads: CompiledHeads, probabilities: FieldProbabilities, unit: { unit: Unit; confidence: number }): Classification {
  const binary = (name: 'complaint' | 'police_related' | 'grievance'): Scored<boolean> => {
    const pTrue = probabilities[name][1]!;
    return { value: pTrue >= (heads[name].threshold ?? 0.5), p: round(pTrue) };
  };
  const grievance = binary('grievance');
  const scoped = <T extends string>(name: 'category' | 'lodged' | 'perspective' | 'severity'): Scored<T | null> => {
    if (!grievance.value) return { value: null, p: round(1 - grievance.p) };
    const p = probabilities[name];
    const best = argmax(p);
    return { value: heads[name].labels[best] as T, p: round(p[best]!) };
  };
  const complaint = binary('complaint');
  const policeRelated = binary('police_related');
  if (grievance.value) {
    complaint.value = true;
    policeRelated.value = true;
  }
  const distributions: Record<string, Record<string, number>> = {};
  for (const [name, head] of Object.entries(heads)) distributions[name] = distribution(head.labels, probabilities[name as keyof FieldProbabilities]);
  return {
    complaint,
    policeRelated,
    grievance,
    category: scoped<Category>('category'),
    lodged: scoped<Lodged>('lodged'),
    perspective: scoped<Perspective>('perspective'),
    severity: scoped<Severity>('severity'),
    unit: { value: unit.unit, p: unit.confidence },
    distributions,
  };
}
