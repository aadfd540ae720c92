/**
 * Build check: the exported ONNX file, run by onnxruntime under Transformers.js, must give torch's
 * last_hidden_state (max abs diff < 1e-4) on a padded batch, and the project's encoder (tokenizer +
 * ONNX + mean pooling + L2) must give torch's pooled embeddings for the same raw texts.
 * usage: tsx verify-onnx.ts <model-folder> <onnx-check.json> <result.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AutoModel, Tensor } from '@xenova/transformers';
import { loadEncoder, offlineFolder } from '../encoder.js';

interface Check {
  texts: string[];
  dims: [number, number];
  input_ids: number[];
  attention_mask: number[];
  last_hidden_state: number[];
  embeddings: number[][];
}

const TOLERANCE = 1e-4;
const [folder, checkFile, resultFile] = process.argv.slice(2);
if (!folder || !checkFile || !resultFile) throw new Error('usage: tsx verify-onnx.ts <model-folder> <onnx-check.json> <result.json>');
const dir = resolve(folder);
const check = JSON.parse(readFileSync(checkFile, 'utf8')) as Check;

const model = await AutoModel.from_pretrained(offlineFolder(dir), { quantized: false });
const int64 = (values: number[]) => new Tensor('int64', BigInt64Array.from(values, BigInt), check.dims);
const output = await model({
  input_ids: int64(check.input_ids),
  attention_mask: int64(check.attention_mask),
  token_type_ids: int64(check.input_ids.map(() => 0)),
});
const hidden = output.last_hidden_state.data as Float32Array;
if (hidden.length !== check.last_hidden_state.length) throw new Error(`ONNX gives ${hidden.length} values, torch ${check.last_hidden_state.length}`);
let hiddenDiff = 0;
check.last_hidden_state.forEach((v, i) => { hiddenDiff = Math.max(hiddenDiff, Math.abs(v - hidden[i]!)); });

const encoder = await loadEncoder(dir);
const embeddings = await encoder.embed(check.texts);
let embedDiff = 0;
check.embeddings.forEach((row, t) => row.forEach((v, j) => { embedDiff = Math.max(embedDiff, Math.abs(v - embeddings[t]![j]!)); }));

process.stderr.write(`[verify-onnx] max |torch − onnx|: last_hidden_state ${hiddenDiff.toExponential(2)}, pooled embeddings via loadEncoder ${embedDiff.toExponential(2)}\n`);
if (!(hiddenDiff < TOLERANCE) || !(embedDiff < TOLERANCE)) {
  process.stderr.write(`verify-onnx: difference over ${TOLERANCE}\n`);
  process.exit(1);
}
writeFileSync(resultFile, JSON.stringify({ lastHiddenStateMaxAbsDiff: hiddenDiff, embeddingMaxAbsDiff: embedDiff }) + '\n');
