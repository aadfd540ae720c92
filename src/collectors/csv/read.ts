import { open } from 'node:fs/promises';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const CHUNK_BYTES = 1 << 16;

export type ScanResult =
  | { kind: 'record'; contentEnd: number; next: number }
  | { kind: 'incomplete'; unclosedQuote: boolean };

const matchesAt = (buf: Buffer, at: number, bytes: Buffer) => at + bytes.length <= buf.length && buf.compare(bytes, 0, bytes.length, at, at + bytes.length) === 0;

/**
 * Finds where the record starting at `start` ends, with csv-parse's quoting rules: a quote opens a
 * field only at its start, `""` is a quote inside it, and it closes only before a delimiter or line
 * end. A stray quote inside a quoted field keeps the field open, as csv-parse does.
 *
 * Why not csv-parse's own stream: with skip_records_with_error it drops a bad record without
 * saying where it ended, so a byte cursor could not be placed after it. Here every record, good or
 * bad, has exact byte bounds; csv-parse then parses each record's text (see map.ts).
 */
export function scanRecord(buf: Buffer, start: number, delimiter: Buffer, eof: boolean): ScanResult {
  let quoting = false;
  let fieldStart = true;
  let i = start;
  while (i < buf.length) {
    const byte = buf[i]!;
    if (quoting) {
      if (byte === QUOTE) {
        if (i + 1 >= buf.length && !eof) return { kind: 'incomplete', unclosedQuote: true };
        const next = buf[i + 1];
        if (next === QUOTE) { i += 2; continue; }
        if (next === undefined || next === LF || next === CR || matchesAt(buf, i + 1, delimiter)) quoting = false;
      }
      i++;
      continue;
    }
    if (byte === LF) return { kind: 'record', contentEnd: i > start && buf[i - 1] === CR ? i - 1 : i, next: i + 1 };
    if (matchesAt(buf, i, delimiter)) {
      fieldStart = true;
      i += delimiter.length;
      continue;
    }
    if (byte === QUOTE && fieldStart) quoting = true;
    fieldStart = false;
    i++;
  }
  return { kind: 'incomplete', unclosedQuote: quoting };
}

/** One record's text (without its line end) and the line it starts on, or why it could not be read. */
export type RawRecord = { line: number; text: string } | { line: number; error: string };

export interface ReadOptions {
  delimiter: string;
  max: number;
  maxRecordBytes: number;
  /** Nobody is appending to the file any more: an unterminated last record is complete. */
  finished: boolean;
}

export interface ReadResult {
  records: RawRecord[];
  /** Byte offset just after the last record read: always a record boundary. */
  offset: number;
  /** Lines before `offset`. */
  line: number;
}

function countLineFeeds(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF, from); i !== -1 && i < to; i = buf.indexOf(LF, i + 1)) n++;
  return n;
}

/**
 * Reads up to `max` records from byte `offset` (skipping a UTF-8 BOM at the start of the file).
 * Blank lines are passed over. An unterminated last record is left for a later run while a writer
 * may still be appending; a quote that never closes is reported once the file is finished or the
 * record grows beyond `maxRecordBytes`, and reading resumes on the line after the one it opened on.
 */
export async function readRecords(file: string, from: { offset: number; line: number }, o: ReadOptions): Promise<ReadResult> {
  const delimiter = Buffer.from(o.delimiter, 'utf8');
  const handle = await open(file, 'r');
  const records: RawRecord[] = [];
  const chunk = Buffer.alloc(CHUNK_BYTES);
  let buf = Buffer.alloc(0);
  let bufStart = from.offset;
  let pos = 0;
  let line = from.line;
  let eof = false;
  const readMore = async () => {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, bufStart + buf.length);
    if (bytesRead === 0) { eof = true; return; }
    buf = Buffer.concat([buf.subarray(pos), chunk.subarray(0, bytesRead)]);
    bufStart += pos;
    pos = 0;
  };
  const take = (contentEnd: number, next: number) => {
    const text = buf.toString('utf8', pos, contentEnd);
    if (text.trim() !== '') records.push({ line: line + 1, text });
    line += countLineFeeds(buf, pos, next);
    pos = next;
  };
  try {
    if (from.offset === 0) {
      while (buf.length < BOM.length && !eof) await readMore();
      if (matchesAt(buf, 0, BOM)) pos = BOM.length;
    }
    while (records.length < o.max) {
      const scan = scanRecord(buf, pos, delimiter, eof);
      if (scan.kind === 'record') { take(scan.contentEnd, scan.next); continue; }
      const pending = buf.length - pos;
      const oversized = pending > o.maxRecordBytes;
      if (!eof && !oversized) { await readMore(); continue; }
      if (pending === 0 || (!o.finished && !oversized)) break;
      if (!scan.unclosedQuote && !oversized) { take(buf.length, buf.length); continue; }
      records.push({ line: line + 1, error: oversized ? `record longer than ${o.maxRecordBytes} bytes (a quote that never closes?)` : 'quote opened here is never closed' });
      let resume = buf.indexOf(LF, pos);
      while (resume === -1 && !eof) {
        pos = buf.length;
        await readMore();
        resume = buf.indexOf(LF, pos);
      }
      if (resume === -1) { pos = buf.length; continue; }
      line++;
      pos = resume + 1;
    }
  } finally {
    await handle.close();
  }
  return { records, offset: bufStart + pos, line };
}
