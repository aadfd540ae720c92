/**
 * Known outputs of a built model: for a handful of fixed texts, the first 8 dimensions of the
 * embedding and every field's class probabilities from the trained heads. The build writes them to
 * <model>/known-outputs.json after training the heads; committed-model.test.ts recomputes and
 * compares, so a changed ONNX file, tokenizer, heads or runtime shows up as a failing test.
 * usage: tsx known-outputs.ts <model-folder>
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadModelClassifier } from '../model-classifier.js';

export const KNOWN_OUTPUTS_FILE = 'known-outputs.json';

export const KNOWN_TEXTS = [
  'Agent noemde mij gisteren bij de controle een kutmarokkaan. Klacht indienen heeft toch geen zin.',
  'Drie keer 112 gebeld toen die gast met een mes voor de deur stond, niemand kwam.',
  'Mijn klacht over die bekeuring is nu 4 maanden onderweg, nog steeds niks gehoord.',
  'Top hoe snel de politie er was bij het ongeluk op de A12, dank jullie!',
  'Mijn fiets is alweer gestolen in Utrecht, die dieven zijn echt de ergste.',
  'The officer at the desk refused to take my report and laughed at me.',
];

export interface KnownOutputs {
  onnxSha256: string;
  headsHash: string;
  items: { text: string; embedding8: number[]; probabilities: Record<string, Record<string, number>> }[];
}

export async function computeKnownOutputs(folder: string, texts: readonly string[] = KNOWN_TEXTS): Promise<KnownOutputs> {
  const classifier = await loadModelClassifier(resolve(folder));
  const labels = classifier.heads.artifact.fields;
  const embeddings = await classifier.embed([...texts]);
  return {
    onnxSha256: classifier.encoder.onnxSha256,
    headsHash: classifier.heads.hash,
    items: texts.map((text, i) => {
      const probabilities = classifier.fieldProbabilities(text, embeddings[i]!);
      return {
        text,
        embedding8: Array.from(embeddings[i]!.slice(0, 8)),
        probabilities: Object.fromEntries(Object.entries(probabilities).map(([field, p]) =>
          [field, Object.fromEntries(labels[field as keyof typeof labels].labels.map((label, k) => [label, p[k]!]))])),
      };
    }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const folder = process.argv[2];
  if (!folder) throw new Error('usage: tsx known-outputs.ts <model-folder>');
  const known = await computeKnownOutputs(folder);
  writeFileSync(join(folder, KNOWN_OUTPUTS_FILE), JSON.stringify(known, null, 1) + '\n');
  process.stderr.write(`[known-outputs] wrote ${join(folder, KNOWN_OUTPUTS_FILE)} (${known.items.length} texts)\n`);
}
