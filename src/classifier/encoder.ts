import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { env, pipeline } from '@xenova/transformers';
import { MODELS_DIR } from '../paths.js';
import { encoderDisplayName, resolveEncoderSource } from './model-ref.js';
import type { EncoderSource } from './model-ref.js';
import { sha256 } from '../privacy/pseudonymise.js';

/**
 * A sentence encoder over Transformers.js `feature-extraction`: texts → mean-pooled, L2-normalised
 * embeddings, computed in batches of similar length (less padding), truncated to the model's
 * maximum length. Loaded once per process and ref.
 */
export interface Encoder {
  /** The encoder's name: the folder name of a local model, or the hub id. */
  readonly id: string;
  readonly dim: number;
  readonly maxLength: number;
  readonly source: EncoderSource;
  /** Absolute path of the ONNX file in use, and its SHA-256 (hex). */
  readonly onnxFile: string;
  readonly onnxSha256: string;
  embed(texts: string[]): Promise<Float32Array[]>;
  /** Tokenises exactly as `embed` does (padding to the longest, truncation); for benchmarks. */
  tokenize(texts: string[]): TokenizedBatch;
}

export interface TokenizedBatch {
  /** [batch, sequence] */
  dims: [number, number];
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array | null;
}

export interface EncoderOptions {
  /** Cap on tokens per text; the model's own limit always applies. */
  maxLength?: number;
  /**
   * Texts per forward pass inside `embed` (default 8). `embed` sorts its texts by length first, so
   * small passes over a long list pad little; measured on the bundled model, passes of 8 over chunks
   * of 256 texts ran 1.7× faster than passes of 32 over chunks of 32.
   */
  batchSize?: number;
}

// Transformers.js is untyped where it matters; these are the parts used here.
interface TensorLike { data: ArrayLike<number | bigint>; dims: number[] }
interface Tokenizer {
  (texts: string[], options: { padding: boolean; truncation: boolean }): Record<string, TensorLike>;
  model_max_length?: number;
}
interface FeaturePipeline {
  tokenizer: Tokenizer;
  model: ((inputs: Record<string, TensorLike>) => Promise<Record<string, TensorLike>>) & { config: Record<string, unknown> };
}

const loaded = new Map<string, Promise<Encoder>>();
let loading: Promise<unknown> = Promise.resolve();

/** Loads (once per process) the encoder named by `ref`: a model folder or a hub id. */
export function loadEncoder(ref: string, options: EncoderOptions = {}): Promise<Encoder> {
  const source = resolveEncoderSource(ref);
  const key = `${source.kind === 'local' ? source.dir : source.id}|${options.maxLength ?? ''}|${options.batchSize ?? ''}`;
  let encoder = loaded.get(key);
  if (!encoder) {
    // Transformers.js reads its settings from a global `env`: loads run one at a time.
    encoder = loading.then(() => createEncoder(source, options));
    loading = encoder.catch(() => undefined);
    loaded.set(key, encoder);
    encoder.catch(() => loaded.delete(key));
  }
  return encoder;
}

async function createEncoder(source: EncoderSource, options: EncoderOptions): Promise<Encoder> {
  let pipe: FeaturePipeline;
  let onnxFile: string;
  if (source.kind === 'local') {
    const quantized = existsSync(join(source.dir, 'onnx', 'model_quantized.onnx'));
    onnxFile = join(source.dir, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
    if (!existsSync(onnxFile)) throw new Error(`model folder ${source.dir} has neither onnx/model_quantized.onnx nor onnx/model.onnx`);
    pipe = (await pipeline('feature-extraction', offlineFolder(source.dir), { quantized })) as unknown as FeaturePipeline;
  } else {
    env.allowLocalModels = true;
    env.allowRemoteModels = true;
    env.localModelPath = MODELS_DIR + sep;
    env.cacheDir = join(MODELS_DIR, '.cache', 'hub') + sep;
    pipe = (await pipeline('feature-extraction', source.id, { quantized: true })) as unknown as FeaturePipeline;
    const candidates = [join(env.localModelPath, source.id, 'onnx', 'model_quantized.onnx'), join(env.cacheDir, source.id, 'onnx', 'model_quantized.onnx')];
    onnxFile = candidates.find((f) => existsSync(f)) ?? candidates[1]!;
  }
  const config = pipe.model.config;
  const dim = Number(config.hidden_size ?? config.dim ?? config.d_model);
  if (!Number.isInteger(dim) || dim <= 0) throw new Error(`encoder ${encoderDisplayName(source)}: config.json gives no hidden_size`);
  const limits = [options.maxLength, Number(config.max_position_embeddings) || 512, pipe.tokenizer.model_max_length]
    .filter((n): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0 && n < 1e6);
  const maxLength = Math.min(...limits);
  pipe.tokenizer.model_max_length = maxLength;
  const onnxSha256 = existsSync(onnxFile) ? await hashFile(onnxFile) : sha256(encoderDisplayName(source));
  const batchSize = options.batchSize ?? 8;

  const tokenize = (texts: string[]): TokenizedBatch => {
    const t = pipe.tokenizer(texts, { padding: true, truncation: true });
    const ids = t.input_ids!;
    return {
      dims: [ids.dims[0]!, ids.dims[1]!],
      inputIds: ids.data as BigInt64Array,
      attentionMask: t.attention_mask!.data as BigInt64Array,
      tokenTypeIds: (t.token_type_ids?.data as BigInt64Array | undefined) ?? null,
    };
  };

  const embed = async (texts: string[]): Promise<Float32Array[]> => {
    const out = new Array<Float32Array>(texts.length);
    const order = texts.map((_t, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length || a - b);
    for (let start = 0; start < order.length; start += batchSize) {
      const rows = order.slice(start, start + batchSize);
      const inputs = pipe.tokenizer(rows.map((i) => texts[i]!), { padding: true, truncation: true });
      const outputs = await pipe.model(inputs);
      const hidden = outputs.last_hidden_state ?? outputs.token_embeddings;
      if (!hidden) throw new Error(`encoder ${encoderDisplayName(source)}: the model has no last_hidden_state output`);
      const pooled = meanPoolNormalise(hidden.data as Float32Array, inputs.attention_mask!.data as BigInt64Array, rows.length, hidden.dims[1]!, dim);
      rows.forEach((i, r) => { out[i] = pooled[r]!; });
    }
    return out;
  };

  return { id: encoderDisplayName(source), dim, maxLength, source, onnxFile, onnxSha256, embed, tokenize };
}

/**
 * Points Transformers.js at a local model folder with the hub switched off, and returns the name to
 * load it by (the folder's own name, resolved against its parent).
 */
export function offlineFolder(dir: string): string {
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.localModelPath = dirname(dir) + sep;
  return basename(dir);
}

/** Mean over the unmasked tokens, then L2 normalisation. hidden is [batch, seq, dim], mask [batch, seq]. */
export function meanPoolNormalise(hidden: Float32Array, mask: BigInt64Array | Int32Array, batch: number, seq: number, dim: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const acc = new Float64Array(dim);
    for (let t = 0; t < seq; t++) {
      if (Number(mask[b * seq + t]) === 0) continue;
      const offset = (b * seq + t) * dim;
      for (let j = 0; j < dim; j++) acc[j] = acc[j]! + hidden[offset + j]!;
    }
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += acc[j]! * acc[j]!;
    // Dividing by the token count first would cancel in the normalisation: skip it. An all-masked
    // row sums to zeros and stays zeros.
    norm = Math.sqrt(norm) || 1;
    const vector = new Float32Array(dim);
    for (let j = 0; j < dim; j++) vector[j] = acc[j]! / norm;
    out.push(vector);
  }
  return out;
}

export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}
