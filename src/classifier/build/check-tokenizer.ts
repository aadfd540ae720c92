/**
 * Build check: Transformers.js must turn every text into exactly the ids the Python WordPiece gave it
 * (the encoder is trained on the Python ids and run on the JavaScript ones).
 * usage: tsx check-tokenizer.ts <model-folder> <tokenizer-check.json>
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AutoTokenizer } from '@xenova/transformers';
import { offlineFolder } from '../encoder.js';

interface Check { maxLength: number; items: { text: string; ids: number[] }[] }

const [folder, checkFile] = process.argv.slice(2);
if (!folder || !checkFile) throw new Error('usage: tsx check-tokenizer.ts <model-folder> <tokenizer-check.json>');
const dir = resolve(folder);
const tokenizer = await AutoTokenizer.from_pretrained(offlineFolder(dir));
const check = JSON.parse(readFileSync(checkFile, 'utf8')) as Check;
let bad = 0;
for (const { text, ids } of check.items) {
  const got = Array.from((tokenizer(text, { truncation: true, max_length: check.maxLength }).input_ids as { data: BigInt64Array }).data, Number);
  if (got.join(' ') !== ids.join(' ')) {
    if (bad++ < 5) process.stderr.write(`tokenizer mismatch for ${JSON.stringify(text.slice(0, 80))}\n  python ${ids.join(' ')}\n  js     ${got.join(' ')}\n`);
  }
}
if (bad) {
  process.stderr.write(`check-tokenizer: ${bad} of ${check.items.length} texts tokenised differently\n`);
  process.exit(1);
}
process.stderr.write(`[check-tokenizer] ${check.items.length} texts: Python and Transformers.js ids agree\n`);
