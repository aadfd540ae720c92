import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding package.json, found from this file, so paths hold under tsx and under dist/. */
function findProjectRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot(import.meta.dirname);
export const MIGRATIONS_DIR = join(PROJECT_ROOT, 'migrations');
export const FIXTURES_DIR = join(PROJECT_ROOT, 'fixtures');
export const MODELS_DIR = join(PROJECT_ROOT, 'models');
