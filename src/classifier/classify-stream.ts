import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Classification, Classifier } from '../domain/types.js';
import { FIELDS } from './fields.js';

/**
 * Streams JSONL posts ({ id, text, ... }) through a classifier in batches and writes one JSONL line
 * per classified post. The input is never held whole: lines are read, batched, classified and
 * written with backpressure (one await per batch, not per post). A malformed line (bad JSON, no id,
 * no text) is reported on `errors` with its line number and skipped; blank lines are ignored.
 */
export interface ClassifyStreamOptions {
  input: Readable;
  output: Writable;
  errors: Writable;
  classifier: Classifier;
  batchSize: number;
  /** Add every field's full distribution to each line. */
  distributions?: boolean;
  /** Called after each batch: lines read, bytes read, posts written. */
  onProgress?: (progress: { lines: number; bytes: number; written: number }) => void;
}

export interface ClassifyStreamSummary {
  lines: number;
  written: number;
  skipped: number;
  blank: number;
  seconds: number;
}

interface Pending {
  id: string | number;
  text: string;
}

export async function classifyStream(options: ClassifyStreamOptions): Promise<ClassifyStreamSummary> {
  const { input, output, errors, classifier, batchSize } = options;
  const started = process.hrtime.bigint();
  const summary = { lines: 0, written: 0, skipped: 0, blank: 0 };
  let bytes = 0;
  let batch: Pending[] = [];
  let errorText = '';

  const write = async (stream: Writable, chunk: string) => {
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const posts = batch;
    batch = [];
    const results = await classifier.classify(posts.map((p) => p.text));
    if (results.length !== posts.length) throw new Error(`classifier returned ${results.length} results for ${posts.length} posts`);
    let chunk = '';
    for (let i = 0; i < posts.length; i++) chunk += formatLine(posts[i]!.id, results[i]!, classifier.version, options.distributions ?? false);
    summary.written += posts.length;
    if (errorText) {
      await write(errors, errorText);
      errorText = '';
    }
    await write(output, chunk);
    options.onProgress?.({ lines: summary.lines, bytes, written: summary.written });
  };

  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    summary.lines++;
    bytes += Buffer.byteLength(line) + 1;
    if (line.trim() === '') {
      summary.blank++;
      continue;
    }
    const parsed = parseLine(line);
    if (typeof parsed === 'string') {
      summary.skipped++;
      errorText += `line ${summary.lines}: ${parsed}; skipped\n`;
      continue;
    }
    batch.push(parsed);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  if (errorText) await write(errors, errorText);
  return { ...summary, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** The post in a line, or why the line is unusable. */
export function parseLine(line: string): Pending | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `invalid JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const { id, text } = value as { id?: unknown; text?: unknown };
  if (id === undefined || id === null || id === '') return 'missing "id"';
  if (typeof id !== 'string' && typeof id !== 'number') return '"id" must be a string or a number';
  if (text === undefined || text === null) return 'missing "text"';
  if (typeof text !== 'string') return '"text" must be a string';
  if (text.trim() === '') return '"text" is empty';
  return { id, text };
}

/** One output line: the id, the model version, every field with its probability, and the unit. */
export function formatLine(id: string | number, c: Classification, model: string, distributions: boolean): string {
  const row: Record<string, unknown> = { id, model };
  for (const field of FIELDS) {
    row[field.name] = c[field.key].value;
    row[`${field.name}_p`] = c[field.key].p;
  }
  row.unit = c.unit.value;
  row.unit_p = c.unit.p;
  if (distributions) row.distributions = c.distributions;
  return JSON.stringify(row) + '\n';
}
