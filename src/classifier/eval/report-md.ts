import type { Evaluation, FieldEvaluation } from './evaluate.js';

/** Renders an evaluation as Markdown: the headline, then per field the scores, confusion and reliability. */
export interface ReportMeta {
  model: string;
  ref: string;
  split: string;
  file: string;
}

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(3));

export function renderEvalMarkdown(meta: ReportMeta, evaluation: Evaluation): string {
  const { headline } = evaluation;
  const lines = [
    `# Classifier evaluation — ${meta.split} split`,
    '',
    `Model \`${meta.model}\` (\`${meta.ref}\`), ${evaluation.n} posts from \`${meta.file}\`.`,
    '',
    '| headline | value |',
    '|---|---|',
    `| grievance F1 | ${f3(headline.grievanceF1)} |`,
    `| category macro-F1 | ${f3(headline.categoryMacroF1)} |`,
    `| lodged macro-F1 | ${f3(headline.lodgedMacroF1)} |`,
    '',
    '| field | n | P | R | F1 (positive) | macro-F1 | accuracy | ECE | end-to-end acc. |',
    '|---|---|---|---|---|---|---|---|---|',
    ...Object.values(evaluation.fields).map((f) =>
      `| ${f.field} | ${f.n} | ${f3(f.positive?.precision)} | ${f3(f.positive?.recall)} | ${f3(f.positive?.f1)} | ${f3(f.metrics.macroF1)} | ${f3(f.metrics.accuracy)} | ${f3(f.calibration.ece)} | ${f3(f.endToEndAccuracy)} |`),
    '',
    'Grievance-scoped fields (category, lodged, perspective, severity) are scored on the posts labelled as grievances, with the top class of the field\'s distribution; "end-to-end" scores the emitted value (null when the grievance head says no) on every post.',
  ];
  for (const field of Object.values(evaluation.fields)) lines.push('', ...fieldSection(field));
  return lines.join('\n') + '\n';
}

function fieldSection(f: FieldEvaluation): string[] {
  const { labels, confusion, perClass } = f.metrics;
  const out = [
    `## ${f.field}`,
    '',
    '| class | precision | recall | F1 | support | predicted |',
    '|---|---|---|---|---|---|',
    ...perClass.map((c) => `| ${c.label} | ${f3(c.precision)} | ${f3(c.recall)} | ${f3(c.f1)} | ${c.support} | ${c.predicted} |`),
    '',
    'Confusion (rows: truth, columns: predicted)',
    '',
    `| | ${labels.join(' | ')} |`,
    `|---|${labels.map(() => '---').join('|')}|`,
    ...confusion.map((row, i) => `| **${labels[i]}** | ${row.join(' | ')} |`),
    '',
    `Reliability (${f.binary ? 'P(true) vs share true' : 'top-class probability vs share correct'}), ECE ${f3(f.calibration.ece)}`,
    '',
    '| bin | n | mean p | observed |',
    '|---|---|---|---|',
    ...f.calibration.bins.map((b) => `| ${b.lower.toFixed(1)}–${b.upper.toFixed(1)} | ${b.count} | ${f3(b.confidence)} | ${f3(b.frequency)} |`),
  ];
  return out;
}
