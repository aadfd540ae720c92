import { parseArgs } from 'node:util';
import type { Evaluation } from '../eval/evaluate.js';
import { loadReviewLabels } from '../review-labels.js';
import { runTraining } from '../training.js';
import { DEFAULT_LEXICAL_TRAINING } from '../heads/train-heads.js';
import { charNgramsOption, countOption, DEFAULT_MODEL, numberOption, progressBar } from './cli-support.js';
import { runCli, UsageError } from '../../cli.js';

const USAGE = `usage: npm run train [-- --model DIR|HUB_ID] [--seed 42] [--with-reviews]
  --model DIR|ID      encoder folder or hub id (default models/klachtsignaal-nl)
  --seed N            PRNG seed for the heads (default 42)
  --with-reviews      add review labels; report test scores before/after
  --heads-dir DIR     where heads.json goes (default: the encoder folder, or models/<owner>--<name>)
  --data-dir DIR      folder with train.jsonl, dev.jsonl, test.jsonl (default fixtures/training)
  --prefix TEXT       text prefix for the encoder (default "query: " for e5 models, else none)
  --max-length N      token limit (default: the model's)
  --l2 X --lr X --epochs N --batch-size N --patience N --class-weighting balanced|none
  --no-lexical        embedding heads only (no TF-IDF heads fused in)
  --min-df N          lexical terms must occur in N training posts (default 2)
  --char-ngrams 4     character n-gram sizes of the lexical features, ascending (default 4)`;

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' }, seed: { type: 'string' }, 'with-reviews': { type: 'boolean' }, 'heads-dir': { type: 'string' },
      'data-dir': { type: 'string' }, prefix: { type: 'string' }, 'max-length': { type: 'string' }, l2: { type: 'string' },
      lr: { type: 'string' }, epochs: { type: 'string' }, 'batch-size': { type: 'string' }, patience: { type: 'string' },
      'class-weighting': { type: 'string' }, 'no-lexical': { type: 'boolean' }, 'min-df': { type: 'string' }, 'char-ngrams': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const weighting = values['class-weighting'];
  if (weighting !== undefined && weighting !== 'balanced' && weighting !== 'none') throw new UsageError('--class-weighting must be balanced or none');
  const softmax = Object.fromEntries(Object.entries({
    l2: numberOption(values.l2, 'l2'), learningRate: numberOption(values.lr, 'lr'), maxEpochs: countOption(values.epochs, 'epochs'),
    batchSize: countOption(values['batch-size'], 'batch-size'), patience: countOption(values.patience, 'patience'), classWeighting: weighting,
  }).filter(([, v]) => v !== undefined));
  const bar = progressBar('embedding');
  const started = Date.now();
  const result = await runTraining({
    model: values.model ?? DEFAULT_MODEL,
    seed: numberOption(values.seed, 'seed', 42)!,
    headsDir: values['heads-dir'],
    dataDir: values['data-dir'],
    prefix: values.prefix,
    maxLength: countOption(values['max-length'], 'max-length'),
    softmax,
    lexical: values['no-lexical'] ? null : {
      ...DEFAULT_LEXICAL_TRAINING,
      minDf: countOption(values['min-df'], 'min-df') ?? DEFAULT_LEXICAL_TRAINING.minDf,
      charNgrams: charNgramsOption(values['char-ngrams']) ?? DEFAULT_LEXICAL_TRAINING.charNgrams,
    },
    withReviews: values['with-reviews'] ?? false,
    log: (message) => console.log(message),
    onEmbedProgress: (done, total) => {
      if (done === 0) bar.start(total);
      bar.update(done);
      if (done >= total) bar.stop();
    },
  }, loadReviewLabels);
  bar.stop();

  console.log(`\ndev metrics (${result.version}):`);
  console.table(Object.fromEntries(Object.entries(result.heads.artifact.fields).map(([field, head]) => [field, {
    n: head.dev.n, f1: round(head.dev.f1), precision: round(head.dev.precision), recall: round(head.dev.recall),
    macroF1: round(head.dev.macroF1), accuracy: round(head.dev.accuracy), threshold: round(head.threshold), lexical: head.lexicalWeight,
  }])));
  if (result.reviewComparison) {
    const { before, after } = result.reviewComparison;
    console.log(`\ntest split (${result.counts.test} posts), before → after adding ${result.counts.reviews} review labels:`);
    console.table(headlineRows(before, after));
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
});

function round(v: number | null | undefined): number | string {
  return v === null || v === undefined ? '' : Math.round(v * 1000) / 1000;
}

function headlineRows(before: Evaluation, after: Evaluation) {
  const row = (name: string, get: (e: Evaluation) => number) => ({ metric: name, before: round(get(before)), after: round(get(after)), change: round(get(after) - get(before)) });
  return [
    row('grievance F1', (e) => e.headline.grievanceF1),
    row('category macro-F1', (e) => e.headline.categoryMacroF1),
    row('lodged macro-F1', (e) => e.headline.lodgedMacroF1),
    row('perspective macro-F1', (e) => e.fields.perspective.metrics.macroF1),
    row('severity macro-F1', (e) => e.fields.severity.metrics.macroF1),
    row('complaint F1', (e) => e.fields.complaint.positive?.f1 ?? 0),
    row('police_related F1', (e) => e.fields.police_related.positive?.f1 ?? 0),
  ];
}
