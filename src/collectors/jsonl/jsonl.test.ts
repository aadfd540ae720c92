import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchContext } from '../../../tests/support/fixtures.js';
import { MalformedItemError } from '../types.js';
import { jsonlCollector } from './index.js';
import { mapJsonlLine } from './map.js';

describe('JSONL import mapping', () => {
  it('maps a complete line', () => {
    const post = mapJsonlLine({ file: 'a.jsonl', line: 1, raw: '{"id": 7, "text": "Agent was onbeschoft", "author": "@x", "url": "https://e.org/1", "published_at": "2026-01-02T03:04:05Z", "lang": "nl"}' });
    expect(post).toEqual({ externalId: '7', text: 'Agent was onbeschoft', authorHandle: '@x', url: 'https://e.org/1', lang: 'nl', publishedAt: new Date('2026-01-02T03:04:05Z') });
  });
  it.each([
    ['{"id": "1", "text": ', /invalid JSON/],
    ['{"text": "no id"}', /^id: /],
    ['{"id": "1", "text": ""}', /^text: /],
    ['{"id": "1", "text": "x", "published_at": "yesterday"}', /^published_at: /],
    ['[1, 2]', /line|expected object/],
  ])('rejects %s with the line number', (raw, pattern) => {
    let error: unknown;
    try { mapJsonlLine({ file: 'b.jsonl', line: 42, raw }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(MalformedItemError);
    expect((error as MalformedItemError).where).toBe('b.jsonl:42');
    expect((error as Error).message).toMatch(pattern);
  });
});

describe('JSONL collector paging', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-jsonl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads nothing again when the cursor\'s file is gone and no later file exists', async () => {
    const only = mkdtempSync(join(tmpdir(), 'ks-jsonl-gone-'));
    writeFileSync(join(only, 'a.jsonl'), 'een\ntwee\n');
    const config = jsonlCollector.configSchema.parse({ path: only, pageSize: 10 });
    const page = await jsonlCollector.fetchPage(config, { file: join(only, 'z.jsonl'), offset: 40, line: 4 }, fetchContext());
    rmSync(only, { recursive: true, force: true });
    expect(page.items).toEqual([]);
    expect(page.done).toBe(true);
  });

  it('reads files in name order from a byte cursor and leaves an unfinished last line for later', async () => {
    writeFileSync(join(dir, 'a.jsonl'), 'één\r\ntwee\n\ndrie\n');
    writeFileSync(join(dir, 'b.jsonl'), 'vier\nvij');
    const config = jsonlCollector.configSchema.parse({ path: dir, pageSize: 2 });
    const seen: string[] = [];
    let cursor = null;
    for (let i = 0; i < 10; i++) {
      const page = await jsonlCollector.fetchPage(config, cursor, fetchContext());
      seen.push(...page.items.map((item) => `${item.file}:${item.line}:${item.raw}`));
      cursor = page.nextCursor;
      if (page.done) break;
    }
    expect(seen).toEqual(['a.jsonl:1:één', 'a.jsonl:2:twee', 'a.jsonl:4:drie', 'b.jsonl:1:vier']);
    appendFileSync(join(dir, 'b.jsonl'), 'f\nzes\n');
    const next = await jsonlCollector.fetchPage(config, cursor, fetchContext());
    expect(next.items.map((item) => `${item.line}:${item.raw}`)).toEqual(['2:vijf', '3:zes']);
  });
});
