import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIELD_NAMES } from './fields.js';
import type { LabelledPost } from './labelled.js';

/**
 * The labelled training examples kept next to the heads for explanations: examples.bin holds the
 * L2-normalised embeddings as little-endian float32, row after row; examples.json their id, text
 * and labels in the same order. Cosine similarity of normalised vectors is a dot product.
 */
export const EXAMPLES_BIN = 'examples.bin';
export const EXAMPLES_INDEX = 'examples.json';

export type ExampleLabels = Partial<Record<(typeof FIELD_NAMES)[number], string | boolean | null>>;

export interface ExampleItem {
  id: string;
  text: string;
  labels: ExampleLabels;
}

export interface ExampleStore {
  dim: number;
  vectors: Float32Array;
  items: ExampleItem[];
}

export interface SimilarExample extends ExampleItem {
  similarity: number;
}

export function labelsOf(post: LabelledPost): ExampleLabels {
  const labels: ExampleLabels = {};
  for (const name of FIELD_NAMES) if (post[name] !== undefined) labels[name] = post[name];
  return labels;
}

export async function writeExamples(dir: string, posts: readonly LabelledPost[], embeddings: readonly Float32Array[]): Promise<{ bin: string; index: string; count: number; dim: number }> {
  const dim = embeddings[0]?.length ?? 0;
  const bytes = Buffer.alloc(posts.length * dim * 4);
  embeddings.forEach((vector, i) => {
    for (let j = 0; j < dim; j++) bytes.writeFloatLE(vector[j]!, (i * dim + j) * 4);
  });
  const items: ExampleItem[] = posts.map((p) => ({ id: p.id, text: p.text, labels: labelsOf(p) }));
  await writeFile(join(dir, EXAMPLES_BIN), bytes);
  await writeFile(join(dir, EXAMPLES_INDEX), JSON.stringify({ dim, count: items.length, items }) + '\n');
  return { bin: EXAMPLES_BIN, index: EXAMPLES_INDEX, count: items.length, dim };
}

export async function readExamples(dir: string, files: { bin: string; index: string } = { bin: EXAMPLES_BIN, index: EXAMPLES_INDEX }): Promise<ExampleStore> {
  const index = JSON.parse(await readFile(join(dir, files.index), 'utf8')) as { dim: number; count: number; items: ExampleItem[] };
  const bytes = await readFile(join(dir, files.bin));
  if (bytes.length !== index.count * index.dim * 4 || index.items.length !== index.count) {
    throw new Error(`${join(dir, files.bin)} does not hold ${index.count} × ${index.dim} float32 values`);
  }
  const vectors = new Float32Array(index.count * index.dim);
  for (let i = 0; i < vectors.length; i++) vectors[i] = bytes.readFloatLE(i * 4);
  return { dim: index.dim, vectors, items: index.items };
}

/** The k examples most similar to `query` (cosine; both sides normalised), best first. */
export function nearestExamples(store: ExampleStore, query: ArrayLike<number>, k = 3): SimilarExample[] {
  const { dim, vectors, items } = store;
  const best: { index: number; similarity: number }[] = [];
  for (let i = 0; i < items.length; i++) {
    let dot = 0;
    const offset = i * dim;
    for (let j = 0; j < dim; j++) dot += vectors[offset + j]! * query[j]!;
    if (best.length < k || dot > best[best.length - 1]!.similarity) {
      best.push({ index: i, similarity: dot });
      best.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
      if (best.length > k) best.pop();
    }
  }
  return best.map(({ index, similarity }) => ({ ...items[index]!, similarity }));
}
