import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODELS_DIR } from '../paths.js';
import { computeKnownOutputs, KNOWN_OUTPUTS_FILE } from './build/known-outputs.js';
import type { KnownOutputs } from './build/known-outputs.js';

/**
 * The committed model (models/klachtsignaal-nl, built by `npm run model:build`) is intact and still
 * gives the outputs recorded when it was built: same ONNX bytes, same embeddings, same head
 * probabilities (so a changed tokenizer, heads file or runtime shows up here).
 */
const dir = join(MODELS_DIR, 'klachtsignaal-nl');
const absent = !existsSync(dir);
const TOLERANCE = 1e-4;

describe.skipIf(absent)(`committed model ${absent ? '(skipped: models/klachtsignaal-nl is absent; build it with npm run model:build)' : ''}`, () => {
  const read = <T>(file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;

  it('has the ONNX file recorded in build-info.json and heads.json, within the size budget', () => {
    const onnx = join(dir, 'onnx', 'model.onnx');
    const sha = createHash('sha256').update(readFileSync(onnx)).digest('hex');
    const info = read<{ onnx_sha256: string; files: Record<string, { sha256: string; bytes: number }> }>('build-info.json');
    expect(sha).toBe(info.onnx_sha256);
    expect(info.files['onnx/model.onnx']!.sha256).toBe(sha);
    expect(read<{ encoder: { onnxSha256: string } }>('heads.json').encoder.onnxSha256).toBe(sha);
    expect(statSync(onnx).size).toBeLessThan(32 * 1024 * 1024);
  });

  it('reproduces its known outputs (embedding dims and per-field probabilities) within 1e-4', async () => {
    const known = read<KnownOutputs>(KNOWN_OUTPUTS_FILE);
    const now = await computeKnownOutputs(dir, known.items.map((item) => item.text));
    expect(now.onnxSha256).toBe(known.onnxSha256);
    expect(now.headsHash).toBe(known.headsHash);
    known.items.forEach((item, i) => {
      const got = now.items[i]!;
      item.embedding8.forEach((v, j) => expect(Math.abs(got.embedding8[j]! - v), `${item.text} dim ${j}`).toBeLessThan(TOLERANCE));
      for (const [field, dist] of Object.entries(item.probabilities)) {
        for (const [label, p] of Object.entries(dist)) {
          expect(Math.abs(got.probabilities[field]![label]! - p), `${item.text} ${field}=${label}`).toBeLessThan(TOLERANCE);
        }
      }
    });
  });
});
