import { describe, expect, it } from 'vitest';
import { MalformedItemError } from '../types.js';
import { csvCollector } from './index.js';
import { mapCsvRecord, type CsvItem } from './map.js';
import { scanRecord } from './read.js';

const HEADER = ['id', 'text', 'author', 'url', 'published_at', 'lang'];
const defaults = csvCollector.configSchema.parse({ path: '/dev/null' });
const item = (record: string, header = HEADER): CsvItem => ({ file: 'export.csv', line: 7, header, record });

describe('CSV import mapping', () => {
  it('maps a complete record with the default column names', () => {
    expect(mapCsvRecord(item('7,"Agent was onbeschoft, echt",@x,https://e.org/1,2026-01-02T03:04:05Z,nl'), defaults)).toEqual({
      externalId: '7', text: 'Agent was onbeschoft, echt', authorHandle: '@x', url: 'https://e.org/1', lang: 'nl', publishedAt: new Date('2026-01-02T03:04:05Z'),
    });
  });

  it('maps configured column names (any case, any order) with another delimiter; absent or blank optional columns are null', () => {
    const config = csvCollector.configSchema.parse({ path: '/dev/null', delimiter: ';', columns: { id: 'Kenmerk', text: 'omschrijving', published_at: 'datum' } });
    const post = mapCsvRecord(item('2026-10-07;K-2;"Boete; € 12,50";  ', ['datum', 'KENMERK', 'Omschrijving', 'author']), config);
    expect(post).toEqual({ externalId: 'K-2', text: 'Boete; € 12,50', authorHandle: null, url: null, lang: null, publishedAt: new Date('2026-10-07T00:00:00Z') });
  });

  it('accepts a space for the T in dates and keeps the offset; line breaks inside a cell become LF', () => {
    const post = mapCsvRecord(item('1,"Regel een\r\nregel twee",,,2026-10-04 12:15:00+02:00,'), defaults);
    expect(post.publishedAt).toEqual(new Date('2026-10-04T10:15:00Z'));
    expect(post.text).toBe('Regel een\nregel twee');
  });

  it.each([
    ['too few columns', '8,Te weinig kolommen,@x', /^expected 6 columns, got 3$/],
    ['too many columns', '8,a,b,c,d,e,f', /^expected 6 columns, got 7$/],
    ['a date that is not ISO 8601', '8,Tekst,@y,,3 oktober 2026,nl', /^published_at: not an ISO 8601 date/],
    ['an impossible date', '8,Tekst,@y,,2026-02-30T10:00:00Z,nl', /^published_at: /],
    ['empty text', '8,  ,@z,,,nl', /^text: empty$/],
    ['an empty id', ',Tekst,@z,,,nl', /^id: empty$/],
    ['a bad url', '8,Tekst,@z,niet-een-url,,nl', /^url: /],
    ['text after a closing quote', '8,"Agent zei "rot op" tegen mij",@q,,,nl', /^unparsable quoting: a quoted field goes on after its closing quote/],
    ['a quote inside an unquoted field', '8,Hij had een "wapenstok",@r,,,nl', /^unparsable quoting: a quote inside an unquoted field/],
  ])('rejects %s with file:line', (_label, record, pattern) => {
    let error: unknown;
    try { mapCsvRecord(item(record), defaults); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(MalformedItemError);
    expect((error as MalformedItemError).where).toBe('export.csv:7');
    expect((error as Error).message).toMatch(pattern);
  });

  it('names the configured column in the message and passes on read errors', () => {
    const config = csvCollector.configSchema.parse({ path: '/dev/null', columns: { published_at: 'datum' } });
    expect(() => mapCsvRecord(item('1,t,,,gisteren,nl', ['id', 'text', 'author', 'url', 'datum', 'lang']), config)).toThrow(/^datum: /);
    const unreadable: CsvItem = { file: 'a.csv', line: 3, header: HEADER, error: 'quote opened here is never closed' };
    expect(() => mapCsvRecord(unreadable, defaults)).toThrow(expect.objectContaining({ where: 'a.csv:3', message: 'quote opened here is never closed' }));
  });
});

describe('CSV record boundaries', () => {
  const comma = Buffer.from(',');
  const scan = (text: string, eof = true, delimiter = comma) => scanRecord(Buffer.from(text), 0, delimiter, eof);

  it('ends a record at the first line feed outside quotes, without its CR', () => {
    expect(scan('a,"b\r\nc",d\r\ne,f\n')).toEqual({ kind: 'record', contentEnd: 10, next: 12 });
    expect(scan('a,"say ""hi""\n!",b\nnext')).toEqual({ kind: 'record', contentEnd: 18, next: 19 });
  });

  it('follows csv-parse: a quote mid-field opens nothing, a stray quote in a quoted field keeps it open', () => {
    expect(scan('a,b"c\nd\n')).toEqual({ kind: 'record', contentEnd: 5, next: 6 });
    expect(scan('a,"b "c" d\ne",f\ng\n')).toEqual({ kind: 'record', contentEnd: 15, next: 16 });
  });

  it('needs more data for an unterminated record and says whether a quote is open', () => {
    expect(scan('a,"b\nc', false)).toEqual({ kind: 'incomplete', unclosedQuote: true });
    expect(scan('a,"b"', false)).toEqual({ kind: 'incomplete', unclosedQuote: true });
    expect(scan('a,"b"', true)).toEqual({ kind: 'incomplete', unclosedQuote: false });
    expect(scan('a,b', true)).toEqual({ kind: 'incomplete', unclosedQuote: false });
  });

  it('works with multi-byte delimiters', () => {
    const section = Buffer.from('§');
    expect(scan('a§"b\n§c"§d\nx', true, section)).toEqual({ kind: 'record', contentEnd: Buffer.byteLength('a§"b\n§c"§d'), next: Buffer.byteLength('a§"b\n§c"§d\n') });
  });
});
