import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The files an import source reads, in name order: the path itself, or the regular files in it ending in `ext` (any case). */
export async function listImportFiles(path: string, ext: string): Promise<string[]> {
  const full = resolve(path);
  if ((await stat(full)).isFile()) return [full];
  const names = (await readdir(full, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(ext))
    .map((e) => e.name)
    .sort();
  return names.map((n) => join(full, n));
}

/**
 * Where reading resumes: the cursor's own file, or the first file sorting after it when that one is
 * gone. Files sorting before the cursor are finished; with none left, files.length (nothing to read).
 */
export function resumeIndex(files: string[], cursorFile: string | undefined): number {
  if (cursorFile === undefined) return 0;
  const index = files.findIndex((f) => f >= cursorFile);
  return index === -1 ? files.length : index;
}
