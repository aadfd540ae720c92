import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CATEGORIES, LODGED } from '../../domain/taxonomy.js';
import { FIXTURES_DIR, PROJECT_ROOT } from '../../paths.js';

/**
 * The committed corpus against the classifier issue's requirements, and the committed split against
 * the split script: a corpus edit without a rebuilt split (or a split edited by hand) fails here.
 */
const TRAINING = join(FIXTURES_DIR, 'training');
const SPLITS = ['train', 'dev', 'test'] as const;

interface Row { id: string; lang: string; text: string; grievance: boolean; category: string | null; lodged: string | null }

const readRows = (file: string): Row[] => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Row);
const parts = readdirSync(join(TRAINING, 'parts')).filter((f) => f.endsWith('.jsonl')).flatMap((f) => readRows(join(TRAINING, 'parts', f)));
const split = Object.fromEntries(SPLITS.map((s) => [s, readRows(join(TRAINING, `${s}.jsonl`))])) as Record<(typeof SPLITS)[number], Row[]>;

/** Character 5-gram shingles of the lowercased, whitespace-folded text (as split.py defines near-duplicates). */
function shingles(text: string): Set<string> {
  const t = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (t.length <= 5) return new Set([t]);
  const out = new Set<string>();
  for (let i = 0; i + 5 <= t.length; i++) out.add(t.slice(i, i + 5));
  return out;
}

/** The highest Jaccard similarity between any post of `probe` and any post of `base` (inverted index). */
function maxJaccardAcross(base: Row[], probe: Row[]): { similarity: number; pair: [string, string] | null } {
  const baseSets = base.map((r) => shingles(r.text));
  const index = new Map<string, number[]>();
  baseSets.forEach((set, i) => { for (const s of set) { let list = index.get(s); if (!list) index.set(s, (list = [])); list.push(i); } });
  let best = { similarity: 0, pair: null as [string, string] | null };
  const overlap = new Int32Array(base.length);
  for (const row of probe) {
    const set = shingles(row.text);
    overlap.fill(0);
    for (const s of set) for (const i of index.get(s) ?? []) overlap[i]!++;
    overlap.forEach((shared, i) => {
      if (shared === 0) return;
      const similarity = shared / (set.size + baseSets[i]!.size - shared);
      if (similarity > best.similarity) best = { similarity, pair: [row.id, base[i]!.id] };
    });
  }
  return best;
}

describe('the labelled corpus (fixtures/training)', () => {
  it('has at least 3,000 posts, at least half of them negatives, about 85% Dutch', () => {
    expect(parts.length).toBeGreaterThanOrEqual(3000);
    const negatives = parts.filter((r) => !r.grievance).length;
    expect(negatives / parts.length).toBeGreaterThanOrEqual(0.5);
    const dutch = parts.filter((r) => r.lang === 'nl').length / parts.length;
    expect(dutch).toBeGreaterThan(0.8);
    expect(dutch).toBeLessThan(0.9);
  });

  it('represents every category and lodged value with at least 100 grievances', () => {
    const grievances = parts.filter((r) => r.grievance);
    for (const category of CATEGORIES) expect(grievances.filter((r) => r.category === category).length, category).toBeGreaterThanOrEqual(100);
    for (const lodged of LODGED) expect(grievances.filter((r) => r.lodged === lodged).length, lodged).toBeGreaterThanOrEqual(100);
  });

  it('splits every post into exactly one of train, dev and test', () => {
    const ids = SPLITS.flatMap((s) => split[s].map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(parts.map((r) => r.id)));
  });

  it('has no near-duplicate (character 5-gram Jaccard >= 0.6) across splits', () => {
    const { similarity, pair } = maxJaccardAcross(split.train, [...split.dev, ...split.test]);
    expect(similarity, 'the comparison found no shared shingles at all').toBeGreaterThan(0.2);
    expect(similarity, `closest pair ${pair?.join(' ~ ')}`).toBeLessThan(0.6);
    expect(maxJaccardAcross(split.dev, split.test).similarity).toBeLessThan(0.6);
  });

  const dir = mkdtempSync(join(tmpdir(), 'ks-split-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is exactly what split.py makes of the parts with its fixed seed', async () => {
    // Plain python3 is enough here: the split needs no torch.
    await promisify(execFile)('python3', [join(PROJECT_ROOT, 'src/classifier/build/split.py'), '--strict',
      '--parts', join(TRAINING, 'parts', '*.jsonl'), '--out-dir', dir], { cwd: PROJECT_ROOT });
    for (const s of SPLITS) expect(readFileSync(join(dir, `${s}.jsonl`), 'utf8') === readFileSync(join(TRAINING, `${s}.jsonl`), 'utf8'), s).toBe(true);
  }, 120_000);
});

describe('scripts/corpus-check.mjs (the build runs it on every row)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-corpus-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a row of the contract and names the line and field of one outside it', async () => {
    const good = parts.find((r) => r.grievance)!;
    const file = join(dir, 'rows.jsonl');
    writeFileSync(file, `${JSON.stringify(good)}\n`);
    await expect(promisify(execFile)('node', [join(PROJECT_ROOT, 'scripts/corpus-check.mjs'), file])).resolves.toBeDefined();
    writeFileSync(file, `${JSON.stringify(good)}\n${JSON.stringify({ ...good, id: 'x-2', category: 'parkeren' })}\n`);
    const failed = await promisify(execFile)('node', [join(PROJECT_ROOT, 'scripts/corpus-check.mjs'), file]).then(() => null, (e: { code: number; stdout: string; stderr: string }) => e);
    expect(failed?.code).toBe(1);
    expect(`${failed?.stdout}${failed?.stderr}`).toMatch(/2.*bad category/);
  });
});
