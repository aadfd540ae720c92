import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { FIELD_NAMES } from '../fields.js';
import type { FieldName } from '../fields.js';
import { sha256 } from '../../privacy/pseudonymise.js';
import { LEXICAL_FILE, parseLexical, serialiseLexical } from '../lexical/model.js';
import type { LexicalModel } from '../lexical/model.js';

/**
 * heads.json: the trained per-field linear heads plus everything needed to reproduce and to check
 * them (which encoder and ONNX file they were trained on, the text prefix, the seed, the training
 * data hash). It holds no timestamp, so the same seed and data give a byte-identical file and the
 * same model version string.
 */
export const HEADS_FILE = 'heads.json';
export const HEADS_VERSION = 1;

const metricsSchema = z.record(z.string(), z.number().nullable());

const headSchema = z.object({
  labels: z.array(z.string()).min(2),
  weights: z.array(z.array(z.number())),
  bias: z.array(z.number()),
  /** Binary fields only: predict true when P(true) ≥ threshold (chosen on dev for best F1). */
  threshold: z.number().nullable(),
  train: z.object({
    n: z.number(), epochs: z.number(), bestEpoch: z.number(), classWeights: z.array(z.number()),
    /** Bias shifted by log class prior after balanced training (binary heads): calibrated P(true). */
    priorCorrected: z.boolean(),
    trainLoss: z.number(), devLoss: z.number().nullable(),
  }),
  dev: metricsSchema,
  /**
   * Weight a of the lexical head in the fused prediction softmax((1 − a) · log p_embedding +
   * a · log p_lexical), chosen on dev; 0 = the embedding head alone (no lexical head stored).
   */
  lexicalWeight: z.number().min(0).max(1).default(0),
});

const lexicalMetaSchema = z.object({
  file: z.string(),
  sha256: z.string(),
  terms: z.number().int().nonnegative(),
  minDf: z.number().int().positive(),
  charNgrams: z.array(z.number().int().positive()),
  options: z.record(z.string(), z.union([z.number(), z.string()])),
});

export const headsArtifactSchema = z.object({
  headsVersion: z.literal(HEADS_VERSION),
  encoder: z.object({
    /** As passed to the loader: a folder (relative to the heads folder when stored that way) or a hub id. */
    ref: z.string(),
    /** The encoder's name, used in the model version string. */
    id: z.string(),
    dim: z.number().int().positive(),
    onnxFile: z.string(),
    onnxSha256: z.string(),
    maxLength: z.number().int().positive(),
  }),
  textPrefix: z.string(),
  seed: z.number().int(),
  trainingData: z.object({ sha256: z.string(), train: z.number(), dev: z.number(), reviews: z.number() }),
  options: z.record(z.string(), z.union([z.number(), z.string()])),
  fields: z.object(Object.fromEntries(FIELD_NAMES.map((f) => [f, headSchema])) as Record<FieldName, typeof headSchema>),
  examples: z.object({ bin: z.string(), index: z.string(), count: z.number().int(), dim: z.number().int() }).nullable(),
  /** The lexical heads (lexical.json), or null when every field uses the embedding head alone. */
  lexical: lexicalMetaSchema.nullable().default(null),
});

export type HeadsArtifact = z.infer<typeof headsArtifactSchema>;
export type HeadArtifact = z.infer<typeof headSchema>;
export type LexicalMeta = z.infer<typeof lexicalMetaSchema>;

export interface LoadedHeads {
  artifact: HeadsArtifact;
  /** First 8 hex characters of the SHA-256 of heads.json as stored. */
  hash: string;
  lexical: LexicalModel | null;
}

/** What heads.json records of a lexical model (its file's hash makes it part of the model version). */
export function lexicalMeta(model: LexicalModel, options: LexicalMeta['options']): LexicalMeta {
  return { file: LEXICAL_FILE, sha256: sha256(serialiseLexical(model)), terms: model.vocabulary.terms.length, minDf: model.vocabulary.minDf, charNgrams: [...model.vocabulary.charNgrams], options };
}

export function serialiseHeads(artifact: HeadsArtifact): string {
  return JSON.stringify(artifact) + '\n';
}

export async function writeHeads(dir: string, artifact: HeadsArtifact, lexical: LexicalModel | null = null): Promise<LoadedHeads> {
  if ((artifact.lexical === null) !== (lexical === null)) throw new Error('writeHeads: heads.json and the lexical model must come together');
  if (lexical && artifact.lexical) {
    const lexicalText = serialiseLexical(lexical);
    if (sha256(lexicalText) !== artifact.lexical.sha256) throw new Error('writeHeads: the lexical model does not match the sha256 recorded in heads.json');
    await writeFile(join(dir, artifact.lexical.file), lexicalText);
  }
  const text = serialiseHeads(headsArtifactSchema.parse(artifact));
  await writeFile(join(dir, HEADS_FILE), text);
  return { artifact, hash: sha256(text).slice(0, 8), lexical };
}

export async function readHeads(dir: string): Promise<LoadedHeads> {
  const file = join(dir, HEADS_FILE);
  const text = await readFile(file, 'utf8');
  const parsed = headsArtifactSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`${file} is not a heads artifact of version ${HEADS_VERSION}: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  for (const name of FIELD_NAMES) {
    const head = parsed.data.fields[name];
    if (head.weights.length !== head.labels.length || head.bias.length !== head.labels.length || head.weights.some((row) => row.length !== parsed.data.encoder.dim)) {
      throw new Error(`${file}: head ${name} does not match ${head.labels.length} labels × ${parsed.data.encoder.dim} dimensions`);
    }
  }
  return { artifact: parsed.data, hash: sha256(text).slice(0, 8), lexical: await readLexical(dir, parsed.data) };
}

/** The lexical model heads.json names, checked against its recorded hash (compileHeads checks it has every head it needs). */
async function readLexical(dir: string, artifact: HeadsArtifact): Promise<LexicalModel | null> {
  if (!artifact.lexical) return null;
  const file = join(dir, artifact.lexical.file);
  const text = await readFile(file, 'utf8');
  if (sha256(text) !== artifact.lexical.sha256) throw new Error(`${file} does not match the sha256 recorded in ${HEADS_FILE}; retrain the heads`);
  return parseLexical(text, file);
}

/** The version recorded on every classification: `<encoder name>+heads-<8-char hash of heads.json>`. */
export function modelVersion(heads: LoadedHeads): string {
  return `${heads.artifact.encoder.id}+heads-${heads.hash}`;
}
