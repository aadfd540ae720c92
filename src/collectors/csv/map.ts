import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { CollectedPost } from '../../domain/types.js';
import { MalformedItemError } from '../types.js';

export const FIELDS = ['id', 'text', 'author', 'url', 'published_at', 'lang'] as const;
export type Field = (typeof FIELDS)[number];
export type ColumnMapping = Record<Field, string>;

/** One record of a CSV import: its text as in the file, where it is, and the file's header. */
export type CsvItem =
  | { file: string; line: number; header: string[]; record: string }
  | { file: string; line: number; header: string[]; error: string };

export interface CsvMapConfig {
  delimiter: string;
  columns: ColumnMapping;
}

/** Header names are matched ignoring case and surrounding spaces. */
export function columnIndex(header: string[], name: string): number {
  const wanted = name.trim().toLowerCase();
  return header.findIndex((h) => h.trim().toLowerCase() === wanted);
}

/** Splits one record (or the header) into fields; throws csv-parse's CsvError. */
export function parseFields(record: string, delimiter: string): string[] {
  // The record holds no line feed outside quotes (read.ts cut it there), so it is one row.
  const rows = parse(record, { delimiter, record_delimiter: ['\n'], relax_column_count: true }) as string[][];
  return rows[0] ?? [];
}

const QUOTING_PROBLEMS: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field goes on after its closing quote (write "" for a quote inside a field)',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field (quote the whole field and write "" for the quote)',
  CSV_QUOTE_NOT_CLOSED: 'a quote that is never closed',
};

const blankToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToNull, schema.nullish()).transform((v) => v ?? null);

/** ISO 8601 with seconds and an offset (a space may stand for the T), or a date alone (midnight UTC). */
const publishedAt = z.string().trim().transform((s) => s.replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, '$1T'))
  .pipe(z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'not an ISO 8601 date, e.g. 2026-10-01T08:00:00+02:00 or 2026-10-01' }))
  .transform((s) => new Date(s));

const rowSchema = z.object({
  id: z.string({ error: 'empty' }).trim().min(1, 'empty'),
  // Spreadsheets break lines inside a cell as LF or CRLF; the same text should read (and hash) the same.
  text: z.string({ error: 'empty' }).refine((s) => s.trim() !== '', 'empty').transform((s) => s.replace(/\r\n/g, '\n')),
  author: optional(z.string().trim()),
  url: optional(z.url()),
  published_at: optional(publishedAt),
  lang: optional(z.string().trim().min(2).max(8)),
});

export function mapCsvRecord(item: CsvItem, config: CsvMapConfig): CollectedPost {
  const where = `${item.file}:${item.line}`;
  if ('error' in item) throw new MalformedItemError(item.error, where);
  let fields: string[];
  try {
    fields = parseFields(item.record, config.delimiter);
  } catch (error) {
    const code = error instanceof CsvError ? error.code : '';
    throw new MalformedItemError(`unparsable quoting: ${QUOTING_PROBLEMS[code] ?? (error as Error).message}`, where);
  }
  if (fields.length !== item.header.length) {
    throw new MalformedItemError(`expected ${item.header.length} columns, got ${fields.length}`, where);
  }
  const row: Partial<Record<Field, string>> = {};
  for (const field of FIELDS) {
    const index = columnIndex(item.header, config.columns[field]);
    if (index !== -1) row[field] = fields[index];
  }
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path[0] as Field | undefined;
    const column = field ? config.columns[field] : 'record';
    throw new MalformedItemError(`${column}: ${issue.message}`, where);
  }
  const p = parsed.data;
  return { externalId: p.id, text: p.text, authorHandle: p.author, url: p.url, lang: p.lang, publishedAt: p.published_at };
}
