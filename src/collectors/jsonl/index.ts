import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { listImportFiles, resumeIndex } from '../import-files.js';
import type { Collector } from '../types.js';
import { mapJsonlLine, type JsonlLine } from './map.js';

const configSchema = z.object({
  /** A .jsonl file, or a directory whose *.jsonl files are read in name order. */
  path: z.string().min(1),
  pageSize: z.number().int().min(1).max(10_000).default(500),
});
type JsonlConfig = z.infer<typeof configSchema>;

/** Byte offset of the next unread line in `file`; files sorting before it are finished. */
interface JsonlCursor { file: string; offset: number; line: number }


/**
 * Reads up to `max` complete lines from byte `offset`. Works on bytes so the cursor is exact even
 * with CRLF or multi-byte text; a last line without newline is left for a later run (a writer may
 * still be appending it).
 */
async function readLines(file: string, offset: number, max: number): Promise<{ lines: string[]; bytes: number[] }> {
  const lines: string[] = [];
  const bytes: number[] = [];
  const handle = await open(file, 'r');
  try {
    let position = offset;
    let carry = Buffer.alloc(0);
    const chunk = Buffer.alloc(1 << 20);
    while (lines.length < max) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const buffer = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      const base = position - buffer.length - offset;
      let lineStart = 0;
      let newline: number;
      while (lines.length < max && (newline = buffer.indexOf(0x0a, lineStart)) !== -1) {
        lines.push(buffer.toString('utf8', lineStart, newline).replace(/\r$/, ''));
        bytes.push(base + newline + 1);
        lineStart = newline + 1;
      }
      carry = buffer.subarray(lineStart);
    }
  } finally {
    await handle.close();
  }
  return { lines, bytes };
}

export const jsonlCollector: Collector<JsonlConfig, JsonlCursor, JsonlLine> = {
  kind: 'jsonl',
  platform: 'import',
  configSchema,
  prefilterByDefault: false,
  async fetchPage(config, cursor) {
    const files = await listImportFiles(config.path, '.jsonl');
    for (let i = resumeIndex(files, cursor?.file); i < files.length; i++) {
      const file = files[i]!;
      const from = cursor && file === cursor.file ? cursor : { file, offset: 0, line: 0 };
      const { lines, bytes } = await readLines(file, from.offset, config.pageSize);
      if (lines.length === 0) continue;
      const items = lines
        .map((raw, k) => ({ raw, line: from.line + k + 1, file: basename(file) }))
        .filter((item) => item.raw.trim() !== '');
      const next = { file, offset: from.offset + bytes[bytes.length - 1]!, line: from.line + lines.length };
      return { items, nextCursor: next, done: false };
    }
    return { items: [], nextCursor: cursor ?? { file: '', offset: 0, line: 0 }, done: true };
  },
  map: (raw) => mapJsonlLine(raw),
};
