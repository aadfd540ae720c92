import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODELS_DIR } from '../paths.js';
import { sha256 } from '../privacy/pseudonymise.js';

/**
 * A disk cache of embeddings for training and evaluation, under models/.cache/embeddings/ (git-
 * ignored). One append-only file per encoder: the ONNX file's hash plus the token limit, so a rebuilt
 * model never reuses stale vectors. A record is the SHA-256 of (prefix + text), 32 bytes, then `dim`
 * little-endian float32s. A torn last record (interrupted run) is ignored on load.
 */
export interface CacheableEncoder {
  onnxSha256: string;
  maxLength: number;
  dim: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export const DEFAULT_CACHE_DIR = join(MODELS_DIR, '.cache', 'embeddings');

export class EmbeddingCache {
  private readonly vectors = new Map<string, Float32Array>();

  private constructor(readonly file: string, private readonly dim: number) {}

  static open(encoder: Pick<CacheableEncoder, 'onnxSha256' | 'maxLength' | 'dim'>, dir = DEFAULT_CACHE_DIR): EmbeddingCache {
    mkdirSync(dir, { recursive: true });
    const cache = new EmbeddingCache(join(dir, `${encoder.onnxSha256.slice(0, 16)}-len${encoder.maxLength}-d${encoder.dim}.bin`), encoder.dim);
    if (existsSync(cache.file)) cache.load(readFileSync(cache.file));
    return cache;
  }

  get size(): number {
    return this.vectors.size;
  }

  static key(text: string): string {
    return sha256(text);
  }

  private load(bytes: Buffer): void {
    const record = 32 + this.dim * 4;
    for (let offset = 0; offset + record <= bytes.length; offset += record) {
      const key = bytes.subarray(offset, offset + 32).toString('hex');
      const vector = new Float32Array(this.dim);
      for (let j = 0; j < this.dim; j++) vector[j] = bytes.readFloatLE(offset + 32 + j * 4);
      this.vectors.set(key, vector);
    }
  }

  /**
   * Embeddings of `texts` (already prefixed), from the cache where present; the rest are embedded
   * in chunks and appended to the cache file as they come.
   */
  async embedAll(encoder: CacheableEncoder, texts: string[], onProgress?: (done: number, total: number) => void, chunk = 256): Promise<Float32Array[]> {
    const keys = texts.map((t) => EmbeddingCache.key(t));
    const missing = [...new Set(keys.map((k, i) => (this.vectors.has(k) ? -1 : i)).filter((i) => i >= 0).map((i) => keys[i]!))];
    const textOf = new Map(keys.map((k, i) => [k, texts[i]!]));
    let done = texts.length - missing.length;
    onProgress?.(done, texts.length);
    for (let start = 0; start < missing.length; start += chunk) {
      const batch = missing.slice(start, start + chunk);
      const vectors = await encoder.embed(batch.map((k) => textOf.get(k)!));
      const out = Buffer.alloc(batch.length * (32 + this.dim * 4));
      batch.forEach((k, r) => {
        const vector = vectors[r]!;
        this.vectors.set(k, vector);
        const offset = r * (32 + this.dim * 4);
        out.write(k, offset, 'hex');
        for (let j = 0; j < this.dim; j++) out.writeFloatLE(vector[j]!, offset + 32 + j * 4);
      });
      appendFileSync(this.file, out);
      done += batch.length;
      onProgress?.(Math.min(done, texts.length), texts.length);
    }
    return keys.map((k) => this.vectors.get(k)!);
  }
}
