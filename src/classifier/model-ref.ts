import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { MODELS_DIR, PROJECT_ROOT } from '../paths.js';

/**
 * Where an encoder comes from. A local folder (absolute or relative to the working directory)
 * holding config.json, tokenizer.json, tokenizer_config.json and onnx/model[_quantized].onnx; or a
 * Hugging Face hub id such as `Xenova/multilingual-e5-small`, fetched and cached on first use (needs
 * internet, or the same files placed under models/<id>/ for air-gapped use).
 */
export type EncoderSource =
  | { kind: 'local'; dir: string; name: string }
  | { kind: 'hub'; id: string };

const HUB_ID = /^[\w.-]+\/[\w.-]+$/;

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

export const isEncoderFolder = (dir: string) => isDir(dir) && existsSync(join(dir, 'config.json')) && isDir(join(dir, 'onnx'));

/**
 * The folder a relative model ref means: from the working directory, or else from the project, so
 * the default models/klachtsignaal-nl also works when a command runs outside the project.
 */
export function modelPath(ref: string, cwd = process.cwd()): string {
  const fromCwd = resolve(cwd, ref);
  return isAbsolute(ref) || isDir(fromCwd) || !isDir(resolve(PROJECT_ROOT, ref)) ? fromCwd : resolve(PROJECT_ROOT, ref);
}

export function resolveEncoderSource(ref: string, cwd = process.cwd()): EncoderSource {
  const path = modelPath(ref, cwd);
  if (isDir(path)) {
    if (!isEncoderFolder(path)) throw new Error(`model folder ${path} holds no encoder (config.json and onnx/ are missing)`);
    return { kind: 'local', dir: path, name: basename(path) };
  }
  const looksLikePath = isAbsolute(ref) || ref.startsWith('.') || ref.startsWith('models/') || !HUB_ID.test(ref);
  if (looksLikePath) throw new Error(`model folder ${path} does not exist; build it with \`npm run model:build\` or name a hub id like Xenova/multilingual-e5-small`);
  return { kind: 'hub', id: ref };
}

/**
 * Where the heads of a model ref live. A local encoder folder keeps its heads next to the ONNX
 * files (<dir>/heads.json); a hub encoder gets a folder under models/ named after its id
 * (models/Xenova--multilingual-e5-small/). A folder holding only heads.json is itself a ref: its
 * heads name the encoder they were trained on.
 */
export function defaultHeadsDir(source: EncoderSource): string {
  return source.kind === 'local' ? source.dir : join(MODELS_DIR, source.id.replace(/\//g, '--'));
}

/** e5 models were trained with "query: " / "passage: " prefixes; a classifier input is a query. */
export function defaultTextPrefix(source: EncoderSource): string {
  return /(^|[/-])e5-/i.test(encoderDisplayName(source)) ? 'query: ' : '';
}

export function encoderDisplayName(source: EncoderSource): string {
  return source.kind === 'local' ? source.name : source.id;
}
