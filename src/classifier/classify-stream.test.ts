import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../domain/types.js';
import { PROJECT_ROOT } from '../paths.js';
import { classifyStream, parseLine } from './classify-stream.js';
import { createKeywordBaseline } from './keyword-baseline.js';
import { findUnit } from './places/place-units.js';

const LINES = [
  '{"id":"a","text":"Agent sloeg mij gisteren in Utrecht, schandalig"}',
  '{"id":"b","text":"Top werk van de politie"',        // 2: bad JSON
  '',                                                   // 3: blank, ignored
  '{"text":"geen id"}',                                 // 4: no id
  '{"id":7,"text":"Mooi weer vandaag","lang":"nl"}',
  '{"id":"c"}',                                         // 6: no text
  '{"id":"d","text":42}',                               // 7: text not a string
  '[1,2]',                                              // 8: not an object
  '{"id":"e","text":"Politie kwam niet toen ik 112 belde"}',
];

function collect(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return { stream: new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } }), text: () => chunks.join('') };
}

/** A fake classifier recording its batches. */
function fake(): Classifier & { batches: string[][] } {
  const baseline = createKeywordBaseline(findUnit);
  const batches: string[][] = [];
  return { version: 'fake-1', batches, classify: async (texts) => { batches.push(texts); return baseline.classify(texts); } };
}

describe('classifyStream', () => {
  it('classifies the good lines in batches and reports malformed lines by number', async () => {
    const out = collect();
    const err = collect();
    const classifier = fake();
    const summary = await classifyStream({ input: Readable.from([LINES.join('\n') + '\n']), output: out.stream, errors: err.stream, classifier, batchSize: 2 });
    expect(summary).toMatchObject({ lines: 9, written: 3, skipped: 5, blank: 1 });
    const rows = out.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.id)).toEqual(['a', 7, 'e']);
    expect(rows[0]).toMatchObject({ model: 'fake-1', grievance: true, unit: 'midden_nederland' });
    for (const key of ['complaint', 'complaint_p', 'police_related_p', 'grievance_p', 'category', 'category_p', 'lodged', 'lodged_p', 'perspective', 'severity_p', 'unit_p']) {
      expect(rows[0]).toHaveProperty(key);
    }
    expect(rows[0]).not.toHaveProperty('distributions');
    expect(classifier.batches.map((b) => b.length)).toEqual([2, 1]);
    const errors = err.text().trim().split('\n');
    expect(errors).toHaveLength(5);
    expect(errors[0]).toMatch(/^line 2: invalid JSON/);
    expect(errors.slice(1).map((e) => e.replace(/;.*$/, ''))).toEqual(['line 4: missing "id"', 'line 6: missing "text"', 'line 7: "text" must be a string', 'line 8: not a JSON object']);
  });

  it('waits for a slow output (backpressure) and adds distributions on request', async () => {
    const output = new PassThrough({ highWaterMark: 16 });
    const received: string[] = [];
    const drained = (async () => {
      for await (const chunk of output) {
        received.push(String(chunk));
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const input = Readable.from([Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: i, text: `post ${i}` })).join('\n')]);
    const summary = await classifyStream({ input, output, errors: collect().stream, classifier: fake(), batchSize: 8, distributions: true });
    output.end();
    await drained;
    const rows = received.join('').trim().split('\n').map((l) => JSON.parse(l) as { id: number; distributions: unknown });
    expect(summary.written).toBe(50);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(rows[0]!.distributions).toBeDefined();
  });

  it('passes a classifier error up (fatal)', async () => {
    const failing: Classifier = { version: 'x', classify: async () => { throw new Error('model exploded'); } };
    await expect(classifyStream({ input: Readable.from(['{"id":1,"text":"x"}\n']), output: collect().stream, errors: collect().stream, classifier: failing, batchSize: 4 }))
      .rejects.toThrow('model exploded');
  });
});

describe('parseLine', () => {
  it('accepts string and number ids and rejects empty text', () => {
    expect(parseLine('{"id":"x","text":"t","other":1}')).toEqual({ id: 'x', text: 't' });
    expect(parseLine('{"id":3,"text":"t"}')).toEqual({ id: 3, text: 't' });
    expect(parseLine('{"id":"x","text":"  "}')).toBe('"text" is empty');
    expect(parseLine('{"id":"","text":"t"}')).toBe('missing "id"');
  });
});

describe('npm run classify (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-classify-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[]) => promisify(execFile)(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [join(PROJECT_ROOT, 'src/classifier/cli/classify.ts'), ...args], { cwd: PROJECT_ROOT });
  // The bundled model when it is in the repository, else the keyword baseline: the CLI path is the same.
  const model = existsSync(join(PROJECT_ROOT, 'models', 'klachtsignaal-nl', 'heads.json')) ? join(PROJECT_ROOT, 'models', 'klachtsignaal-nl') : 'keyword-baseline';

  it('writes the good lines, reports the bad ones with line numbers, exits 0', async () => {
    const input = join(dir, 'posts.jsonl');
    const output = join(dir, 'labels.jsonl');
    writeFileSync(input, LINES.join('\n') + '\n');
    const { stderr } = await run(['--in', input, '--out', output, '--model', model, '--batch', '2']);
    const rows = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: unknown; grievance_p: number });
    expect(rows.map((r) => r.id)).toEqual(['a', 7, 'e']);
    expect(typeof rows[0]!.grievance_p).toBe('number');
    expect(stderr).toMatch(/^line 2: invalid JSON/m);
    expect(stderr).toMatch(/^line 4: missing "id"/m);
    expect(stderr).toMatch(/^line 8: not a JSON object/m);
    expect(stderr).toMatch(/classified 3 posts from 9 lines \(5 malformed skipped, 1 blank\)/);
  });

  it('exits 1 on a fatal error (missing input)', async () => {
    const failure = await run(['--in', join(dir, 'nope.jsonl'), '--out', join(dir, 'x.jsonl'), '--model', 'keyword-baseline']).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/^klachtsignaal: .*nope\.jsonl/m);
  });

  it('exits 2 with one line and no stack on a wrong option', async () => {
    const failure = await run(['--in', join(dir, 'nope.jsonl'), '--out', join(dir, 'x.jsonl'), '--pass', '0']).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2 });
    const stderr = (failure as { stderr: string }).stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'));
    expect(stderr).toEqual(['klachtsignaal: --pass must be a positive integer, got "0"']);
  });
});
