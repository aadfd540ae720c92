import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { classifyStream } from '../classify-stream.js';
import { loadClassifier } from '../index.js';
import { CLASSIFY_DEFAULTS, countOption, DEFAULT_MODEL, progressBar } from './cli-support.js';
import { runCli, UsageError } from '../../cli.js';

const USAGE = `usage: npm run classify -- --in posts.jsonl --out labels.jsonl [--model DIR|HUB_ID|keyword-baseline] [--batch ${CLASSIFY_DEFAULTS.batch}] [--pass ${CLASSIFY_DEFAULTS.pass}] [--distributions]
  --in FILE       JSONL with "id" and "text" per line ("-" for stdin)
  --out FILE      one JSONL line per classified post ("-" for stdout)
  --batch N       posts read and classified together (sorted by length inside, less padding)
  --pass N        texts per forward pass of the encoder
  Malformed lines are reported on stderr with their line number and skipped.
  Exit code 0 when the run finished (even with skipped lines), 2 on a wrong option, 1 on a fatal error.`;

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      in: { type: 'string' }, out: { type: 'string' }, model: { type: 'string' }, batch: { type: 'string' }, pass: { type: 'string' },
      distributions: { type: 'boolean' }, help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.in || !values.out) throw new UsageError(`--in and --out are required\n${USAGE}`);
  const batchSize = countOption(values.batch, 'batch', CLASSIFY_DEFAULTS.batch)!;
  const passSize = countOption(values.pass, 'pass', CLASSIFY_DEFAULTS.pass)!;

  const fromStdin = values.in === '-';
  const totalBytes = fromStdin ? 0 : statSync(values.in).size; // fails early when the input is missing
  const classifier = await loadClassifier(values.model ?? DEFAULT_MODEL, { batchSize: passSize });
  const input: Readable = fromStdin ? process.stdin : createReadStream(values.in);
  const output: Writable = values.out === '-' ? process.stdout : createWriteStream(values.out);
  const outputFailed = new Promise<never>((_, reject) => output.once('error', reject));
  const inputFailed = new Promise<never>((_, reject) => input.once('error', reject));
  outputFailed.catch(() => {}); // handled where raced; this only keeps a late error from going unhandled
  inputFailed.catch(() => {});

  const bar = progressBar('classifying', 'classifying [{bar}] {percentage}% | {posts} posts | {rate} posts/s | eta {eta_formatted}');
  if (totalBytes > 0) bar.start(totalBytes);
  const started = Date.now();
  const summary = await Promise.race([
    classifyStream({
      input, output, errors: process.stderr, classifier, batchSize, distributions: values.distributions ?? false,
      onProgress: ({ bytes, written }) => bar.update(bytes, { posts: written, rate: Math.round(written / Math.max(0.001, (Date.now() - started) / 1000)) }),
    }),
    outputFailed,
    inputFailed,
  ]).finally(() => bar.stop());
  if (output !== process.stdout) {
    output.end();
    await Promise.race([once(output, 'finish'), outputFailed]);
  }
  await classifier.close?.();
  const rate = summary.written / Math.max(summary.seconds, 1e-9);
  process.stderr.write(
    `classified ${summary.written} posts from ${summary.lines} lines (${summary.skipped} malformed skipped, ${summary.blank} blank) ` +
    `in ${summary.seconds.toFixed(1)}s, ${rate.toFixed(0)} posts/s, model ${classifier.version}\n`,
  );
});
