import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FIXTURES_DIR } from '../paths.js';
import { EmbeddingCache } from './embedding-cache.js';
import { loadEncoder } from './encoder.js';
import type { Encoder } from './encoder.js';
import { evaluate } from './eval/evaluate.js';
import type { Evaluation } from './eval/evaluate.js';
import { writeExamples } from './examples.js';
import { FIELD_NAMES } from './fields.js';
import { HEADS_VERSION, lexicalMeta, modelVersion, writeHeads } from './heads/artifact.js';
import type { HeadsArtifact, LoadedHeads } from './heads/artifact.js';
import { DEFAULT_SOFTMAX_OPTIONS } from './heads/softmax-regression.js';
import type { SoftmaxTrainOptions } from './heads/softmax-regression.js';
import { DEFAULT_LEXICAL_TRAINING, trainHeads } from './heads/train-heads.js';
import type { EmbeddedSet, LexicalTraining, TrainedHeads } from './heads/train-heads.js';
import { readLabelledJsonl } from './labelled.js';
import type { LabelledPost } from './labelled.js';
import { createModelClassifier } from './model-classifier.js';
import { defaultHeadsDir, defaultTextPrefix, resolveEncoderSource } from './model-ref.js';
import type { ReviewLabelsLoader } from './review-labels.js';
import { contentHash, sha256 } from '../privacy/pseudonymise.js';

/**
 * Trains the heads for an encoder: embeds the fixed train/dev split (through the on-disk cache),
 * fits every field's head, picks binary thresholds on dev, writes heads.json and the explanation
 * examples. With review labels it first trains on the corpus alone, then on corpus + reviews, and
 * scores both on the fixed test split; only the second is written. Deterministic given the seed.
 */
export interface TrainingOptions {
  model: string;
  seed: number;
  /** Where heads.json goes; default: the encoder folder, or models/<owner>--<name>/ for a hub id. */
  headsDir?: string;
  dataDir?: string;
  /** Text prefix; default "query: " for e5 models, else none. */
  prefix?: string;
  maxLength?: number;
  softmax?: Partial<Omit<SoftmaxTrainOptions, 'seed'>>;
  /** Lexical heads fused with the embedding heads; default DEFAULT_LEXICAL_TRAINING, null = embedding heads only. */
  lexical?: LexicalTraining | null;
  withReviews?: boolean;
  log?: (message: string) => void;
  onEmbedProgress?: (done: number, total: number) => void;
}

export interface TrainingResult {
  headsDir: string;
  heads: LoadedHeads;
  version: string;
  counts: { train: number; dev: number; test: number; reviews: number };
  /** Test-split scores before (corpus only) and after adding review labels; only with reviews. */
  reviewComparison: { before: Evaluation; after: Evaluation } | null;
}

export const DEFAULT_DATA_DIR = join(FIXTURES_DIR, 'training');


export async function runTraining(options: TrainingOptions, loadReviewLabels?: ReviewLabelsLoader): Promise<TrainingResult> {
  const log = options.log ?? (() => {});
  const source = resolveEncoderSource(options.model);
  const headsDir = options.headsDir ?? defaultHeadsDir(source);
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const read = (split: string) => readLabelledJsonl(join(dataDir, `${split}.jsonl`));
  const [train, dev] = await Promise.all([read('train'), read('dev')]);
  const test = options.withReviews && existsSync(join(dataDir, 'test.jsonl')) ? await read('test') : [];
  let reviews: LabelledPost[] = [];
  if (options.withReviews) {
    if (!loadReviewLabels) throw new Error('--with-reviews needs a review-label loader');
    // A reviewed post that is also a dev or test post would leak into the measurements: leave it out.
    const held = new Set([...dev, ...test].map((p) => contentHash(p.text)));
    const all = await loadReviewLabels();
    reviews = all.filter((p) => !held.has(contentHash(p.text)));
    log(`review labels: ${all.length} loaded, ${all.length - reviews.length} left out (also in dev/test)`);
  }
  log(`data: ${train.length} train, ${dev.length} dev${options.withReviews ? `, ${test.length} test, ${reviews.length} reviews` : ''} from ${dataDir}`);

  const encoder = await loadEncoder(options.model, { maxLength: options.maxLength });
  const prefix = options.prefix ?? defaultTextPrefix(source);
  log(`encoder: ${encoder.id} (dim ${encoder.dim}, max ${encoder.maxLength} tokens, onnx ${encoder.onnxSha256.slice(0, 12)}), prefix ${JSON.stringify(prefix)}`);
  const cache = EmbeddingCache.open(encoder);
  const everything = [...train, ...dev, ...test, ...reviews];
  const vectors = await cache.embedAll(encoder, everything.map((p) => prefix + p.text), options.onEmbedProgress);
  const slice = (start: number, posts: LabelledPost[]): EmbeddedSet => ({ posts, embeddings: vectors.slice(start, start + posts.length) });
  const trainSet = slice(0, train);
  const devSet = slice(train.length, dev);
  const testSet = slice(train.length + dev.length, test);
  const reviewSet = slice(train.length + dev.length + test.length, reviews);

  const softmax: SoftmaxTrainOptions = { ...DEFAULT_SOFTMAX_OPTIONS, ...options.softmax, seed: options.seed };
  const lexical = options.lexical === undefined ? DEFAULT_LEXICAL_TRAINING : options.lexical;
  // The lexical vocabulary (stored as text in lexical.json) comes from the corpus' train split only:
  // review posts add labels and weights, never their words, to the model folder.
  const fit = (set: EmbeddedSet) => trainHeads(set, devSet, softmax, (field, head) =>
    log(`  ${field.padEnd(15)} n=${String(head.train.n).padStart(5)} epochs=${String(head.train.bestEpoch).padStart(3)}/${head.train.epochs} lexical=${head.lexicalWeight.toFixed(1)} dev ${Object.entries(head.dev).filter(([k]) => k !== 'n').map(([k, v]) => `${k}=${v === null ? '–' : v.toFixed(3)}`).join(' ')}${head.threshold !== null ? ` threshold=${head.threshold.toFixed(3)}` : ''}`), lexical, train);
  const artifactFor = ({ fields, lexical: lexicalModel }: TrainedHeads, trainedOn: LabelledPost[], examples: HeadsArtifact['examples']): HeadsArtifact => ({
    headsVersion: HEADS_VERSION,
    encoder: {
      ref: source.kind === 'local' ? relative(headsDir, source.dir) || '.' : source.id,
      id: encoder.id,
      dim: encoder.dim,
      onnxFile: source.kind === 'local' ? relative(source.dir, encoder.onnxFile) : encoder.onnxFile.split(/[\\/]onnx[\\/]/).pop()!,
      onnxSha256: encoder.onnxSha256,
      maxLength: encoder.maxLength,
    },
    textPrefix: prefix,
    seed: options.seed,
    trainingData: { sha256: dataHash([trainedOn, dev]), train: trainedOn.length, dev: dev.length, reviews: trainedOn.length - train.length },
    options: { l2: softmax.l2, learningRate: softmax.learningRate, maxEpochs: softmax.maxEpochs, batchSize: softmax.batchSize, patience: softmax.patience, classWeighting: softmax.classWeighting },
    fields,
    examples,
    lexical: lexicalModel && lexical ? lexicalMeta(lexicalModel, { ...lexical.options, fusionWeights: lexical.fusionWeights.join(' ') }) : null,
  });

  let reviewComparison: TrainingResult['reviewComparison'] = null;
  if (options.withReviews) {
    log('training on the corpus alone (before reviews):');
    const beforeHeads = fit(trainSet);
    const scoreBefore = scoreOn(encoder, artifactFor(beforeHeads, train, null), beforeHeads, headsDir, testSet);
    log('training on corpus + review labels (after):');
    const merged: EmbeddedSet = { posts: [...train, ...reviews], embeddings: [...trainSet.embeddings, ...reviewSet.embeddings] };
    const trained = fit(merged);
    reviewComparison = { before: scoreBefore, after: scoreOn(encoder, artifactFor(trained, merged.posts as LabelledPost[], null), trained, headsDir, testSet) };
    return finish(trained, merged.posts as LabelledPost[]);
  }
  log('training heads:');
  return finish(fit(trainSet), train);

  async function finish(trained: TrainedHeads, trainedOn: LabelledPost[]): Promise<TrainingResult> {
    mkdirSync(headsDir, { recursive: true });
    // Examples for explanations come from the corpus only: review posts are real people's posts
    // under the retention policy and are not copied into a model folder.
    const examples = await writeExamples(headsDir, trainSet.posts, trainSet.embeddings);
    const heads = await writeHeads(headsDir, artifactFor(trained, trainedOn, examples), trained.lexical);
    const version = modelVersion(heads);
    log(`wrote ${join(headsDir, 'heads.json')} (${version}) and ${examples.count} examples`);
    return { headsDir, heads, version, counts: { train: train.length, dev: dev.length, test: test.length, reviews: reviews.length }, reviewComparison };
  }
}

function scoreOn(encoder: Encoder, artifact: HeadsArtifact, trained: TrainedHeads, headsDir: string, set: EmbeddedSet): Evaluation {
  const classifier = createModelClassifier(encoder, { artifact, hash: 'unsaved0', lexical: trained.lexical }, headsDir);
  const texts = set.posts.map((p) => p.text);
  return evaluate(set.posts, classifier.classifyEmbedded(texts, [...set.embeddings]));
}

/** SHA-256 over the labelled rows that shaped the heads, in order (ids, texts and labels). */
export function dataHash(sets: LabelledPost[][]): string {
  const rows = sets.flat().map((p) => [p.id, p.text, ...FIELD_NAMES.map((f) => p[f] ?? null)]);
  return sha256(JSON.stringify(rows));
}
