import { CATEGORIES, LODGED, PERSPECTIVES, SEVERITIES } from '../../domain/taxonomy.js';
import type { Encoder } from '../encoder.js';
import { createHash } from 'node:crypto';
import { HEADS_VERSION } from '../heads/artifact.js';
import type { HeadsArtifact } from '../heads/artifact.js';
import { createPrng } from '../heads/prng.js';
import type { LabelledPost } from '../labelled.js';

/**
 * Synthetic labelled posts whose labels are written into their embeddings (one block of dimensions
 * per field plus noise), so a linear head can learn them; and a fake encoder that embeds any text
 * deterministically. For tests that must not need a real model.
 */
export const SYNTHETIC_DIM = 40;

const OFFSETS = { complaint: 0, police: 2, grievance: 4, category: 6, lodged: 17, perspective: 21, severity: 24 } as const;

export function syntheticPost(i: number, random: () => number): LabelledPost {
  const grievance = random() < 0.5;
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const police = grievance || random() < 0.6;
  const complaint = grievance || random() < 0.5;
  return {
    id: `syn-${i}`,
    text: `synthetic post ${i}`,
    complaint,
    police_related: police,
    grievance,
    category: grievance ? pick(CATEGORIES) : null,
    lodged: grievance ? pick(LODGED) : null,
    perspective: grievance ? pick(PERSPECTIVES) : null,
    severity: grievance ? pick(SEVERITIES) : null,
  };
}

export function syntheticEmbedding(post: LabelledPost, random: () => number, noise = 0.1): Float32Array {
  const v = new Float32Array(SYNTHETIC_DIM);
  for (let j = 0; j < v.length; j++) v[j] = noise * (random() - 0.5);
  const hot = (offset: number, index: number) => { v[offset + index] = v[offset + index]! + 1; };
  hot(OFFSETS.complaint, post.complaint ? 1 : 0);
  hot(OFFSETS.police, post.police_related ? 1 : 0);
  hot(OFFSETS.grievance, post.grievance ? 1 : 0);
  if (post.category) hot(OFFSETS.category, CATEGORIES.indexOf(post.category));
  if (post.lodged) hot(OFFSETS.lodged, LODGED.indexOf(post.lodged));
  if (post.perspective) hot(OFFSETS.perspective, PERSPECTIVES.indexOf(post.perspective));
  if (post.severity) hot(OFFSETS.severity, SEVERITIES.indexOf(post.severity));
  const norm = Math.hypot(...v);
  return v.map((e) => e / norm);
}

export function syntheticSet(n: number, seed: number, start = 0): { posts: LabelledPost[]; embeddings: Float32Array[] } {
  const random = createPrng(seed);
  const posts = Array.from({ length: n }, (_, i) => syntheticPost(start + i, random));
  return { posts, embeddings: posts.map((p) => syntheticEmbedding(p, random)) };
}

/**
 * A fake encoder: a text registered with `known` embeds to its registered vector; any other text to
 * a unit vector derived from its hash.
 */
export function fakeEncoder(known = new Map<string, Float32Array>(), dim = SYNTHETIC_DIM): Encoder & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    id: 'fake-encoder',
    dim,
    maxLength: 128,
    source: { kind: 'local', dir: '/nonexistent/fake-encoder', name: 'fake-encoder' },
    onnxFile: '/nonexistent/fake-encoder/onnx/model.onnx',
    onnxSha256: 'f'.repeat(64),
    calls,
    embed: async (texts) => {
      calls.push(texts);
      return texts.map((t) => known.get(t) ?? hashVector(t, dim));
    },
    tokenize: () => { throw new Error('fake encoder does not tokenise'); },
  };
}

function hashVector(text: string, dim: number): Float32Array {
  const random = createPrng(createHash('sha256').update(text).digest().readUInt32LE(0));
  const v = Float32Array.from({ length: dim }, () => random() - 0.5);
  const norm = Math.hypot(...v);
  return v.map((e) => e / norm);
}

export function artifactFrom(fields: HeadsArtifact['fields'], examples: HeadsArtifact['examples'] = null): HeadsArtifact {
  return {
    headsVersion: HEADS_VERSION,
    encoder: { ref: '.', id: 'fake-encoder', dim: SYNTHETIC_DIM, onnxFile: 'onnx/model.onnx', onnxSha256: 'f'.repeat(64), maxLength: 128 },
    textPrefix: '',
    seed: 42,
    trainingData: { sha256: '0'.repeat(64), train: 0, dev: 0, reviews: 0 },
    options: {},
    fields,
    examples,
    lexical: null,
  };
}
