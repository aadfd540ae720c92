import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { UsageError } from '../../cli.js';
import { MODELS_DIR } from '../../paths.js';

/** The model the CLIs use when --model is not given: the project's own bundled encoder + heads. */
export const DEFAULT_MODEL = join(MODELS_DIR, 'klachtsignaal-nl');

/** `npm run classify` defaults: posts read and classified together, and texts per encoder pass. */
export const CLASSIFY_DEFAULTS = { batch: 256, pass: 8 } as const;

/** A progress bar on stderr, only when stderr is a terminal; otherwise nothing is drawn. */
export function progressBar(label: string, format = `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`): {
  start(total: number): void;
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
} {
  if (!process.stderr.isTTY) return { start: () => {}, update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format, hideCursor: true, etaBuffer: 50 }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    start: (total) => { bar.start(total, 0); started = true; },
    update: (value, payload) => { if (started) bar.update(value, payload); },
    stop: () => { if (started) bar.stop(); started = false; },
  };
}

export function numberOption(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`);
  return n;
}

/** A size or count option (batch, epochs, …): a positive integer, so no loop can stall on 0 or a fraction. */
export function countOption(value: string | undefined, name: string, fallback?: number): number | undefined {
  const n = numberOption(value, name, fallback);
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

/** `--char-ngrams 3,4,5`: ascending character n-gram sizes from 1 to 8. */
export function charNgramsOption(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const sizes = value.split(',').map((v) => countOption(v.trim(), 'char-ngrams')!);
  if (sizes.some((n, i) => n > 8 || (i > 0 && n <= sizes[i - 1]!))) throw new UsageError('--char-ngrams takes ascending sizes from 1 to 8, e.g. 3,4,5');
  return sizes;
}
