import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths.js';
import { loadEncoder } from '../encoder.js';

/**
 * The build pipeline end to end, on the smoke profile (tiny model, a few hundred sentences): it
 * produces a folder Transformers.js loads offline, and rebuilding with the same seed gives a
 * byte-identical ONNX file. Needs Debian's python3-torch and python3-onnx (build.sh installs them as root).
 */
const run = promisify(execFile);
const BUILD = join(PROJECT_ROOT, 'src', 'classifier', 'build', 'build.sh');
const dir = mkdtempSync(join(tmpdir(), 'ks-build-test-'));
const first = join(dir, 'first');
const second = join(dir, 'second');

const smokeBuild = (out: string) => run('bash', [BUILD, '--smoke', '--out', out, '--seed', '7'], {
  cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000,
});
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  await smokeBuild(first);
}, 10 * 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('build.sh --smoke', () => {
  it('writes a complete model folder', () => {
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'heads.json',
      'examples.bin', 'examples.json', 'known-outputs.json', 'build-info.json', 'README.md']) {
      expect(existsSync(join(first, file)), file).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(first, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config.model_type).toBe('bert');
    const info = JSON.parse(readFileSync(join(first, 'build-info.json'), 'utf8')) as Record<string, unknown>;
    expect(info).toMatchObject({ profile: 'smoke', seed: 7, threads: 2, onnx_sha256: sha256(join(first, 'onnx', 'model.onnx')) });
    // The heads stage fuses lexical heads where dev gains; the file heads.json names is there and matches.
    const heads = JSON.parse(readFileSync(join(first, 'heads.json'), 'utf8')) as { lexical: { file: string; sha256: string } | null };
    expect(heads.lexical).not.toBeNull();
    expect(sha256(join(first, heads.lexical!.file))).toBe(heads.lexical!.sha256);
  });

  it('loads offline through loadEncoder and embeds texts to vectors of the configured size', async () => {
    const config = JSON.parse(readFileSync(join(first, 'config.json'), 'utf8')) as { hidden_size: number };
    const encoder = await loadEncoder(first);
    const vectors = await encoder.embed(['Agent aan de balie weigerde mijn aangifte.', 'Top hoe snel de politie er was!']);
    expect(encoder.dim).toBe(config.hidden_size);
    expect(vectors).toHaveLength(2);
    for (const v of vectors) {
      expect(v).toHaveLength(config.hidden_size);
      expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    }
    expect(Array.from(vectors[0]!)).not.toEqual(Array.from(vectors[1]!));
  });

  it('is reproducible: a second build with the same seed gives a byte-identical onnx/model.onnx', async () => {
    await smokeBuild(second);
    expect(sha256(join(second, 'onnx', 'model.onnx'))).toBe(sha256(join(first, 'onnx', 'model.onnx')));
    expect(readFileSync(join(second, 'tokenizer.json'), 'utf8')).toBe(readFileSync(join(first, 'tokenizer.json'), 'utf8'));
  }, 10 * 60_000);
});
