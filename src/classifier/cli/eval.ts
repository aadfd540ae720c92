import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../../paths.js';
import { evaluate } from '../eval/evaluate.js';
import { renderEvalMarkdown } from '../eval/report-md.js';
import { loadClassifier } from '../index.js';
import { readLabelledJsonl } from '../labelled.js';
import { DEFAULT_DATA_DIR } from '../training.js';
import { DEFAULT_MODEL, countOption, progressBar } from './cli-support.js';
import { runCli } from '../../cli.js';

const USAGE = `usage: npm run eval [-- --model DIR|HUB_ID|keyword-baseline] [--split test|dev|train] [--file F.jsonl] [--out DIR]
  writes <out>/eval.json and <out>/eval.md (default out: reports/)`;

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' }, split: { type: 'string' }, file: { type: 'string' }, out: { type: 'string' },
      batch: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const ref = values.model ?? DEFAULT_MODEL;
  const split = values.split ?? 'test';
  const file = values.file ?? join(DEFAULT_DATA_DIR, `${split}.jsonl`);
  const outDir = values.out ?? join(PROJECT_ROOT, 'reports');
  const batch = countOption(values.batch, 'batch', 64)!;

  const posts = await readLabelledJsonl(file);
  const classifier = await loadClassifier(ref);
  const bar = progressBar('classifying');
  bar.start(posts.length);
  const classifications = [];
  for (let start = 0; start < posts.length; start += batch) {
    classifications.push(...(await classifier.classify(posts.slice(start, start + batch).map((p) => p.text))));
    bar.update(classifications.length);
  }
  bar.stop();
  await classifier.close?.();

  const evaluation = evaluate(posts, classifications);
  const meta = { model: classifier.version, ref, split, file: relative(PROJECT_ROOT, file) || file };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'eval.json'), JSON.stringify({ ...meta, at: new Date().toISOString(), ...evaluation }, null, 2) + '\n');
  writeFileSync(join(outDir, 'eval.md'), renderEvalMarkdown(meta, evaluation));

  const { headline } = evaluation;
  console.log(`${classifier.version} on ${meta.file} (${posts.length} posts)`);
  console.log(`  grievance F1       ${headline.grievanceF1.toFixed(3)}`);
  console.log(`  category macro-F1  ${headline.categoryMacroF1.toFixed(3)}`);
  console.log(`  lodged macro-F1    ${headline.lodgedMacroF1.toFixed(3)}`);
  console.log(`wrote ${join(outDir, 'eval.json')} and ${join(outDir, 'eval.md')}`);
});
