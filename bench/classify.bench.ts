import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { CLASSIFY_DEFAULTS, DEFAULT_MODEL } from '../src/classifier/cli/cli-support.js';
import type { TokenizedBatch } from '../src/classifier/encoder.js';
import { loadModelClassifier } from '../src/classifier/model-classifier.js';
import { FIXTURES_DIR } from '../src/paths.js';
import { report, timed } from './support.js';
import type { BenchRow } from './support.js';

/**
 * Classifier throughput against the physical limit measured in the same run: RAW onnxruntime (the
 * onnxruntime-node that @xenova/transformers bundles) on the same model file and the same
 * pre-tokenised batches, versus `Classifier.classify` on the texts (tokenisation, inference, pooling,
 * heads, unit matcher, Classification objects), the two run alternately group by group. Batch sizes 1, 8, 32, 64, and the grouping `npm run classify`
 * uses (chunks of 256 sorted by length, passes of 8); posts/s, ratio vs raw, peak
 * RSS while the phase ran; plus model load time. BENCH_POSTS (default 2000; 10000 for acceptance),
 * BENCH_MODEL (default models/klachtsignaal-nl), BENCH_BATCHES (default 1,8,32,64).
 */
const N = Number(process.env.BENCH_POSTS ?? 2000);
const MODEL = process.env.BENCH_MODEL ?? DEFAULT_MODEL;
const BATCHES = (process.env.BENCH_BATCHES ?? '1,8,32,64').split(',').map(Number);
const CLI_CHUNK = CLASSIFY_DEFAULTS.batch;
const CLI_PASS = CLASSIFY_DEFAULTS.pass;
const FALLBACK = [
  'Agent was gisteren heel onbeschoft tegen mij bij de controle',
  'Mooi werk van de politie vandaag bij het ongeluk',
  'Drie keer 112 gebeld en niemand kwam',
  'Police officer at the station refused to take my report',
  'Die wout reed weer door rood zonder sirene',
];

/** Post texts with the corpus' real length distribution, cycled to N. */
function posts(): string[] {
  const dir = join(FIXTURES_DIR, 'training', 'parts');
  const texts = existsSync(dir)
    ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
      .flatMap((l) => { try { return [(JSON.parse(l) as { text: string }).text]; } catch { return []; } })
    : FALLBACK;
  return Array.from({ length: N }, (_, i) => texts[i % texts.length]!);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface Measured { seconds: number; peakRssMb: number }

/**
 * Runs a raw path and a model path over the same groups, alternating group by group (and which
 * goes first), so both see the same machine noise: on these shared 2-core machines throughput
 * drifts by ±15% between minutes, which two phases run one after the other would turn into a
 * ratio error. Returns each path's total seconds and its peak RSS in MB.
 */
async function measurePaired<A, B>(groups: { raw: A; model: B }[], raw: (a: A) => Promise<unknown>, model: (b: B) => Promise<unknown>): Promise<{ raw: Measured; model: Measured }> {
  const total = { raw: 0, model: 0 };
  const peak = { raw: process.memoryUsage.rss(), model: process.memoryUsage.rss() };
  const run = async (path: 'raw' | 'model', fn: () => Promise<unknown>) => {
    const started = process.hrtime.bigint();
    await fn();
    total[path] += Number(process.hrtime.bigint() - started) / 1e9;
    peak[path] = Math.max(peak[path], process.memoryUsage.rss());
  };
  for (const [i, group] of groups.entries()) {
    const steps = [() => run('raw', () => raw(group.raw)), () => run('model', () => model(group.model))];
    if (i % 2) steps.reverse();
    for (const step of steps) await step();
  }
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  return { raw: { seconds: total.raw, peakRssMb: mb(peak.raw) }, model: { seconds: total.model, peakRssMb: mb(peak.model) } };
}

/** Runs fn over every batch, sampling RSS after each; returns seconds and the peak RSS in MB. */
async function measure<T>(batches: T[], fn: (batch: T) => Promise<unknown>): Promise<{ seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const { seconds } = await timed(async () => {
    for (const batch of batches) {
      await fn(batch);
      const rss = process.memoryUsage.rss();
      if (rss > peak) peak = rss;
    }
  });
  return { seconds, peakRssMb: Math.round(peak / 2 ** 20) };
}

export async function run(): Promise<void> {
  const texts = posts();
  const load = await timed(() => loadModelClassifier(MODEL, { batchSize: Math.max(...BATCHES) }));
  const classifier = load.value;
  const { encoder } = classifier;
  const prefix = classifier.heads.artifact.textPrefix;
  // The very onnxruntime-node instance Transformers.js runs on.
  const require = createRequire(createRequire(import.meta.url).resolve('@xenova/transformers'));
  const ort = require('onnxruntime-node') as typeof Ort;
  const rawLoad = await timed(() => ort.InferenceSession.create(encoder.onnxFile));
  const session = rawLoad.value;
  const feeds = (t: TokenizedBatch): Record<string, Ort.Tensor> => {
    const all: Record<string, Ort.Tensor> = {
      input_ids: new ort.Tensor('int64', t.inputIds, t.dims),
      attention_mask: new ort.Tensor('int64', t.attentionMask, t.dims),
      token_type_ids: new ort.Tensor('int64', t.tokenTypeIds ?? new BigInt64Array(t.inputIds.length), t.dims),
    };
    return Object.fromEntries(session.inputNames.map((name) => [name, all[name]!]));
  };

  // Warm both paths so neither pays first-run costs inside the measurement.
  const warm = texts.slice(0, 64);
  await classifier.classify(warm);
  await session.run(feeds(encoder.tokenize(warm.map((t) => prefix + t))));

  const rows: BenchRow[] = [];
  for (const size of BATCHES) {
    const textBatches = chunks(texts, size);
    // The embed path sorts texts by length within a call; pre-tokenise the same groups the same way.
    const tokenised = textBatches.map((b) => encoder.tokenize([...b].sort((x, y) => x.length - y.length).map((t) => prefix + t)));
    const tokens = tokenised.reduce((s, t) => s + t.dims[0] * t.dims[1], 0);
    const { raw, model } = await measurePaired(textBatches.map((b, i) => ({ raw: tokenised[i]!, model: b })), (t) => session.run(feeds(t)), (b) => classifier.classify(b));
    const tokenize = await measure(textBatches, async (b) => encoder.tokenize(b.map((t) => prefix + t)));
    // The heads' cost does not depend on the embedding's values, so a zero vector stands in.
    const zero = new Float32Array(encoder.dim);
    const heads = await measure(textBatches, async (b) => b.map((t) => classifier.fieldProbabilities(t, zero)));
    const perSecond = (s: number) => Math.round(N / s);
    rows.push(
      { path: 'raw onnxruntime (pre-tokenised)', batch: size, posts: N, seconds: +raw.seconds.toFixed(2), posts_per_s: perSecond(raw.seconds), ratio_vs_raw: 1, peak_rss_mb: raw.peakRssMb, padded_tokens: tokens },
      { path: 'Classifier.classify (texts)', batch: size, posts: N, seconds: +model.seconds.toFixed(2), posts_per_s: perSecond(model.seconds), ratio_vs_raw: +(raw.seconds / model.seconds).toFixed(3), peak_rss_mb: model.peakRssMb, padded_tokens: tokens },
      { path: '  of which: tokenisation alone', batch: size, posts: N, seconds: +tokenize.seconds.toFixed(2), posts_per_s: perSecond(tokenize.seconds), ratio_vs_raw: '', peak_rss_mb: tokenize.peakRssMb, padded_tokens: '' },
      { path: '  of which: heads (TF-IDF + fusion)', batch: size, posts: N, seconds: +heads.seconds.toFixed(2), posts_per_s: perSecond(heads.seconds), ratio_vs_raw: '', peak_rss_mb: heads.peakRssMb, padded_tokens: '' },
    );
  }
  // What `npm run classify` does by default: chunks of 256 posts, each sorted by length and run in passes of 8.
  const cli = await loadModelClassifier(MODEL, { batchSize: CLI_PASS });
  await cli.classify(warm);
  const cliChunks = chunks(texts, CLI_CHUNK);
  const cliPasses = cliChunks.map((c) => chunks([...c].sort((x, y) => x.length - y.length), CLI_PASS).map((b) => encoder.tokenize(b.map((t) => prefix + t))));
  const cliTokens = cliPasses.flat().reduce((s, t) => s + t.dims[0] * t.dims[1], 0);
  const { raw: cliRaw, model: cliModel } = await measurePaired(
    cliChunks.map((c, i) => ({ raw: cliPasses[i]!, model: c })),
    async (passes) => { for (const t of passes) await session.run(feeds(t)); },
    (c) => cli.classify(c),
  );
  const batchLabel = `${CLI_CHUNK}/${CLI_PASS}`;
  rows.push(
    { path: 'raw onnxruntime, npm run classify grouping', batch: batchLabel, posts: N, seconds: +cliRaw.seconds.toFixed(2), posts_per_s: Math.round(N / cliRaw.seconds), ratio_vs_raw: 1, peak_rss_mb: cliRaw.peakRssMb, padded_tokens: cliTokens },
    { path: 'Classifier.classify, npm run classify defaults', batch: batchLabel, posts: N, seconds: +cliModel.seconds.toFixed(2), posts_per_s: Math.round(N / cliModel.seconds), ratio_vs_raw: +(cliRaw.seconds / cliModel.seconds).toFixed(3), peak_rss_mb: cliModel.peakRssMb, padded_tokens: cliTokens },
  );
  rows.push(
    { path: 'load: classifier (encoder + heads)', batch: '', posts: '', seconds: +load.seconds.toFixed(2), posts_per_s: '', ratio_vs_raw: '', peak_rss_mb: '', padded_tokens: '' },
    { path: 'load: raw InferenceSession.create', batch: '', posts: '', seconds: +rawLoad.seconds.toFixed(2), posts_per_s: '', ratio_vs_raw: '', peak_rss_mb: '', padded_tokens: '' },
  );
  report('classify', rows, {
    model: classifier.version, modelRef: MODEL, onnxFile: encoder.onnxFile, posts: N, dim: encoder.dim, maxLength: encoder.maxLength,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  });
}
