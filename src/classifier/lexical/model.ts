import { z } from 'zod';
import { FIELD_NAMES } from '../fields.js';
import type { FieldName } from '../fields.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * lexical.json: the lexical side of the heads — the TF-IDF vocabulary and, for each field whose
 * dev score gained from it, a linear head over those features. Weights are stored as int8 with one
 * scale per class row (a quarter of float32, and the dev scores that chose the fusion weight were
 * measured on these very quantised weights), base64-encoded. heads.json records the file's SHA-256,
 * so a changed lexical file changes the model version.
 */
export const LEXICAL_FILE = 'lexical.json';
export const LEXICAL_VERSION = 1;

export interface LexicalHead {
  labels: readonly string[];
  bias: number[];
  /** Per class row: weight = q · scale. */
  scales: number[];
  /** k × V row-major quantised weights. */
  q: Int8Array;
}

export interface LexicalModel {
  vocabulary: Vocabulary;
  fields: Partial<Record<FieldName, LexicalHead>>;
}

export function quantiseRows(weights: readonly (readonly number[])[]): { scales: number[]; q: Int8Array } {
  const d = weights[0]?.length ?? 0;
  const q = new Int8Array(weights.length * d);
  const scales = weights.map((row, c) => {
    let max = 0;
    for (const w of row) max = Math.max(max, Math.abs(w));
    const scale = max > 0 ? max / 127 : 1;
    row.forEach((w, j) => { q[c * d + j] = Math.round(w / scale); });
    return scale;
  });
  return { scales, q };
}

const headSchema = z.object({
  labels: z.array(z.string()).min(2),
  bias: z.array(z.number()),
  scales: z.array(z.number().positive()),
  weights: z.string(),
});

const fileSchema = z.object({
  lexicalVersion: z.literal(LEXICAL_VERSION),
  minDf: z.number().int().positive(),
  charNgrams: z.array(z.number().int().positive()).min(1),
  documents: z.number().int().positive(),
  terms: z.array(z.string()),
  df: z.array(z.number().int().positive()),
  fields: z.object(Object.fromEntries(FIELD_NAMES.map((f) => [f, headSchema.optional()])) as Record<FieldName, z.ZodOptional<typeof headSchema>>),
});

export function serialiseLexical(model: LexicalModel): string {
  const { vocabulary } = model;
  const fields = Object.fromEntries(Object.entries(model.fields).map(([name, head]) => [name, {
    labels: head.labels, bias: head.bias, scales: head.scales, weights: Buffer.from(head.q.buffer, head.q.byteOffset, head.q.byteLength).toString('base64'),
  }]));
  return JSON.stringify({ lexicalVersion: LEXICAL_VERSION, minDf: vocabulary.minDf, charNgrams: vocabulary.charNgrams, documents: vocabulary.documents, terms: vocabulary.terms, df: Array.from(vocabulary.df), fields }) + '\n';
}

export function parseLexical(text: string, source: string): LexicalModel {
  const parsed = fileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`${source} is not a lexical model of version ${LEXICAL_VERSION}: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const { terms, df, minDf, charNgrams, documents } = parsed.data;
  if (charNgrams.some((n, i) => i > 0 && n <= charNgrams[i - 1]!)) throw new Error(`${source}: charNgrams must ascend`);
  if (df.length !== terms.length) throw new Error(`${source}: ${terms.length} terms but ${df.length} document frequencies`);
  const fields: LexicalModel['fields'] = {};
  for (const name of FIELD_NAMES) {
    const head = parsed.data.fields[name];
    if (!head) continue;
    const bytes = Buffer.from(head.weights, 'base64');
    const k = head.labels.length;
    if (head.bias.length !== k || head.scales.length !== k || bytes.length !== k * terms.length) {
      throw new Error(`${source}: lexical head ${name} does not match ${k} labels × ${terms.length} terms`);
    }
    fields[name] = { labels: head.labels, bias: head.bias, scales: head.scales, q: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice() };
  }
  return { vocabulary: { minDf, charNgrams, documents, terms, df: Uint32Array.from(df) }, fields };
}
