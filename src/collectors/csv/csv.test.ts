import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchContext, pageUntilDone } from '../../../tests/support/fixtures.js';
import { ROOT } from '../../../tests/support/processes.js';
import { fixture } from '../../../tests/support/replay-server.js';
import { MalformedItemError, SourceError, type FetchContext } from '../types.js';
import { csvCollector, type CsvCursor } from './index.js';
import type { CsvItem } from './map.js';

const root = mkdtempSync(join(tmpdir(), 'ks-csv-'));
let dirCount = 0;
const freshDir = () => {
  const dir = join(root, String(++dirCount));
  mkdirSync(dir);
  return dir;
};
const ctx = fetchContext();
const later = (minutes: number): FetchContext => ({ ...ctx, now: () => new Date(Date.now() + minutes * 60_000) });

/** Runs the collector until done; each item as "file:line:id" or "file:line:!reason". */
async function collect(config: ReturnType<typeof csvCollector.configSchema.parse>, cursor: CsvCursor | null, context = ctx) {
  const run = await pageUntilDone(csvCollector, config, cursor, context, 50);
  return { seen: run.items.map((item) => describeItem(item, config)), cursor: run.cursor, cursors: run.pages.map((p) => p.nextCursor) };
}

function describeItem(item: CsvItem, config: ReturnType<typeof csvCollector.configSchema.parse>): string {
  try {
    return `${item.file}:${item.line}:${csvCollector.map(item, config).externalId}`;
  } catch (error) {
    if (!(error instanceof MalformedItemError)) throw error;
    return `${error.where}:!${error.message.split(':')[0]}`;
  }
}

afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await ctx.http.close();
});

describe('CSV collector paging', () => {
  it('pages across files in name order from a byte cursor, through multi-line quoted fields, and picks up appended data', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'a.csv'), fixture('csv', 'multiline.csv'));
    writeFileSync(join(dir, 'b.csv'), fixture('csv', 'good.csv'));
    writeFileSync(join(dir, 'notes.txt'), 'not a csv\n');
    const config = csvCollector.configSchema.parse({ path: dir, pageSize: 2 });
    const first = await collect(config, null);
    expect(first.seen).toEqual(['a.csv:2:ml1', 'a.csv:4:ml2', 'a.csv:7:ml3', 'b.csv:2:g1', 'b.csv:3:g2', 'b.csv:5:g3']);
    // Every saved cursor is a record boundary: resuming from any of them repeats exactly what followed.
    const resumed = await collect(config, first.cursors[0]!);
    expect(resumed.seen).toEqual(first.seen.slice(2));

    appendFileSync(join(dir, 'b.csv'), 'g4,"Nog eentje,\nover twee regels",,,,\n');
    writeFileSync(join(dir, 'c.csv'), 'id,text\nc1,Nieuw bestand\n');
    const next = await collect(config, first.cursor);
    expect(next.seen).toEqual(['b.csv:6:g4', 'c.csv:2:c1']);
    expect(next.cursor).toMatchObject({ file: join(dir, 'c.csv'), offset: Buffer.byteLength('id,text\nc1,Nieuw bestand\n'), line: 2, header: ['id', 'text'] });
  });

  it('reports each malformed record once, whichever page boundary it falls on', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'malformed.csv'), fixture('csv', 'malformed.csv'));
    for (const pageSize of [1, 2, 3, 500]) {
      const { seen } = await collect(csvCollector.configSchema.parse({ path: dir, pageSize }), null);
      expect(seen).toEqual([
        'malformed.csv:2:m1', 'malformed.csv:3:!expected 6 columns, got 3', 'malformed.csv:4:!published_at', 'malformed.csv:5:!text',
        'malformed.csv:6:!unparsable quoting', 'malformed.csv:7:!unparsable quoting', 'malformed.csv:8:m7', 'malformed.csv:9:!url', 'malformed.csv:10:!id',
      ]);
    }
  });

  it('skips the BOM, counts its bytes in the cursor, and reads semicolon exports with their own column names', async () => {
    const bom = join(freshDir(), 'bom.csv');
    writeFileSync(bom, fixture('csv', 'bom.csv'));
    const bomConfig = csvCollector.configSchema.parse({ path: bom, pageSize: 1, settleSeconds: 0 });
    const page = await csvCollector.fetchPage(bomConfig, null, ctx);
    expect(page.nextCursor).toMatchObject({ offset: Buffer.byteLength('\uFEFFpublished_at,id,text\n2026-10-05T06:00:00Z,b1,Wijkagent kwam langs na mijn melding over overlast. Fijn!\n'), line: 2, header: ['published_at', 'id', 'text'] });
    expect(csvCollector.map(page.items[0]!, bomConfig)).toMatchObject({ externalId: 'b1', publishedAt: new Date('2026-10-05T06:00:00Z') });
    expect((await collect(bomConfig, page.nextCursor)).seen).toEqual(['bom.csv:3:b2']);

    const config = csvCollector.configSchema.parse({
      path: join(ROOT, 'fixtures', 'sources', 'csv', 'semicolon'), delimiter: ';',
      columns: { id: 'kenmerk', text: 'omschrijving', author: 'melder', published_at: 'datum', lang: 'taal' },
    });
    const posts = (await csvCollector.fetchPage(config, null, ctx)).items.map((item) => csvCollector.map(item, config));
    expect(posts).toEqual([
      { externalId: 'K-2026-001', text: 'Agent was grof bij de aanhouding op het Leidseplein; ik wil een klacht indienen.', authorHandle: '@leids', url: null, lang: 'nl', publishedAt: new Date('2026-10-06T18:00:00Z') },
      { externalId: 'K-2026-002', text: 'Boete van € 12,50 voor fietsen zonder licht, agent bleef vriendelijk', authorHandle: null, url: null, lang: 'nl', publishedAt: new Date('2026-10-07T00:00:00Z') },
    ]);
  });
});

describe('CSV collector and files still being written', () => {
  it('leaves an unterminated last record, even one inside an open quote, until it is finished or the file settles', async () => {
    const dir = freshDir();
    const file = join(dir, 'a.csv');
    writeFileSync(file, 'id,text\n1,een\n2,tw');
    const config = csvCollector.configSchema.parse({ path: dir });
    const first = await collect(config, null);
    expect(first.seen).toEqual(['a.csv:2:1']);

    appendFileSync(file, 'ee\n3,"drie\nen een hal');
    const second = await collect(config, first.cursor);
    expect(second.seen).toEqual(['a.csv:3:2']);

    appendFileSync(file, 've"\n4,vier');
    const third = await collect(config, second.cursor);
    expect(third.seen).toEqual(['a.csv:4:3']);
    // Nobody has touched the file for longer than settleSeconds: its last line is complete.
    expect((await collect(config, third.cursor, later(10))).seen).toEqual(['a.csv:6:4']);
  });

  it('takes the unterminated last record of a file once a later file exists', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'a.csv'), 'id,text\n1,een\n2,twee');
    const config = csvCollector.configSchema.parse({ path: dir });
    const first = await collect(config, null);
    expect(first.seen).toEqual(['a.csv:2:1']);
    writeFileSync(join(dir, 'b.csv'), 'id,text\n3,drie\n');
    expect((await collect(config, first.cursor)).seen).toEqual(['a.csv:3:2', 'b.csv:2:3']);
  });

  it('reports a quote that never closes, once the file is finished, and resumes on the next line', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'a.csv'), 'id,text\n1,"open\n2,ok\n3,"ook open\n');
    writeFileSync(join(dir, 'b.csv'), `id,text\n4,"${'x'.repeat(2000)}\n5,na de lange\n`);
    const config = csvCollector.configSchema.parse({ path: dir, maxRecordBytes: 1024 });
    const { seen } = await collect(config, null);
    expect(seen).toEqual([
      'a.csv:2:!quote opened here is never closed', 'a.csv:3:2', 'a.csv:4:!quote opened here is never closed',
      'b.csv:2:!record longer than 1024 bytes (a quote that never closes?)', 'b.csv:3:5',
    ]);
  });

  it('needs a header with the mapped id and text columns', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'a.csv'), 'nummer,bericht\n1,Agent was grof\n');
    const error = await csvCollector.fetchPage(csvCollector.configSchema.parse({ path: dir }), null, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/a\.csv: the header has no "id" column .*nummer, bericht/);
    const mapped = csvCollector.configSchema.parse({ path: dir, columns: { id: 'Nummer', text: 'bericht' } });
    expect((await collect(mapped, null)).seen).toEqual(['a.csv:2:1']);
  });
});
