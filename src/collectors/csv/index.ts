import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { listImportFiles, resumeIndex } from '../import-files.js';
import { SourceError, type Collector } from '../types.js';
import { columnIndex, mapCsvRecord, parseFields, type CsvItem } from './map.js';
import { readRecords, type RawRecord } from './read.js';

const column = (name: string) => z.string().trim().min(1).default(name);

const configSchema = z.object({
  /** A .csv file, or a directory whose *.csv files are read in name order. */
  path: z.string().min(1),
  pageSize: z.number().int().min(1).max(10_000).default(500),
  /** One character; ";" for Dutch spreadsheet exports, "\t" for TSV. */
  delimiter: z.string().length(1).refine((d) => !['"', '\n', '\r'].includes(d), 'cannot be a quote or line end').default(','),
  /** Which header column holds each post field; matched ignoring case. id and text are required. */
  columns: z.object({
    id: column('id'), text: column('text'), author: column('author'), url: column('url'), published_at: column('published_at'), lang: column('lang'),
  }).prefault({}),
  /**
   * A last record without a line end is taken once the file has not changed for this long (or a
   * later file exists); before that a writer may still be appending to it.
   */
  settleSeconds: z.number().int().min(0).default(300),
  /** A record longer than this is reported as malformed (usually a quote that never closes). */
  maxRecordBytes: z.number().int().min(1024).default(1 << 20),
});
export type CsvConfig = z.infer<typeof configSchema>;

/** Byte offset of the next unread record in `file` (files sorting before it are finished) and that file's header. */
export interface CsvCursor { file: string; offset: number; line: number; header: string[] | null }


function headerOf(record: RawRecord, file: string, config: CsvConfig): string[] {
  const where = `${file}:${record.line}`;
  if ('error' in record) throw new SourceError('other', `${where}: unreadable header: ${record.error}`);
  let header: string[];
  try {
    header = parseFields(record.text, config.delimiter).map((h) => h.trim());
  } catch (error) {
    throw new SourceError('other', `${where}: unreadable header: ${(error as Error).message}`);
  }
  checkHeader(header, file, config);
  return header;
}

/** Without the id and text columns no record can be imported: the file or the mapping needs fixing. */
function checkHeader(header: string[], file: string, config: CsvConfig): void {
  for (const field of ['id', 'text'] as const) {
    const name = config.columns[field];
    if (columnIndex(header, name) === -1) {
      throw new SourceError('other', `${file}: the header has no "${name}" column for ${field} (it has: ${header.join(', ')}); a header row is required, and config.columns maps other names`);
    }
  }
}

export const csvCollector: Collector<CsvConfig, CsvCursor, CsvItem> = {
  kind: 'csv',
  platform: 'import',
  configSchema,
  prefilterByDefault: false,
  async fetchPage(config, cursor, ctx) {
    const files = await listImportFiles(config.path, '.csv');
    for (let i = resumeIndex(files, cursor?.file); i < files.length; i++) {
      const file = files[i]!;
      const name = basename(file);
      const from: CsvCursor = cursor && file === cursor.file ? cursor : { file, offset: 0, line: 0, header: null };
      const settled = (await stat(file)).mtimeMs <= ctx.now().getTime() - config.settleSeconds * 1000;
      const options = { delimiter: config.delimiter, maxRecordBytes: config.maxRecordBytes, finished: i < files.length - 1 || settled };
      let position = { offset: from.offset, line: from.line };
      let header = from.header;
      if (header) {
        checkHeader(header, name, config);
      } else {
        const first = await readRecords(file, position, { ...options, max: 1 });
        if (first.records.length === 0) continue;
        header = headerOf(first.records[0]!, name, config);
        position = { offset: first.offset, line: first.line };
      }
      const read = await readRecords(file, position, { ...options, max: config.pageSize });
      if (from.header && read.offset === from.offset) continue;
      const fileHeader = header;
      const items = read.records.map((r): CsvItem => ('error' in r
        ? { file: name, line: r.line, header: fileHeader, error: r.error }
        : { file: name, line: r.line, header: fileHeader, record: r.text }));
      return { items, nextCursor: { file, offset: read.offset, line: read.line, header }, done: false };
    }
    return { items: [], nextCursor: cursor ?? { file: '', offset: 0, line: 0, header: null }, done: true };
  },
  map: (raw, config) => mapCsvRecord(raw, config),
};
