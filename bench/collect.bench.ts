import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openDatabase } from '../src/db/client.js';
import { insertPosts } from '../src/db/repos/posts.repo.js';
import { ensureSource, saveCursor } from '../src/db/repos/sources.repo.js';
import { createInProcessQueue } from '../src/queue/in-process-queue.js';
import { collectSource, toNewPost } from '../src/services/collect.js';
import { HttpClient } from '../src/collectors/http.js';
import { createPrefilter } from '../src/collectors/prefilter.js';
import { mapJsonlLine } from '../src/collectors/jsonl/map.js';
import { report, timed } from './support.js';

/**
 * Collect → store throughput for a replayed JSONL source, against the physical limit measured in
 * the same run: the same rows inserted straight through the repository, no collector around them.
 * Uses BENCH_DATABASE_URL when set (a scratch database: it is written to), else embedded PGlite.
 */
const N = Number(process.env.BENCH_POSTS ?? 100_000);
const PAGE = 1000;
const PHRASES = [
  'Agent was gisteren heel onbeschoft tegen mij bij de controle',
  'Mooi werk van de politie vandaag bij het ongeluk',
  'Drie keer 112 gebeld en niemand kwam',
  'Mijn trein naar Zwolle was weer eens vertraagd',
  'Police officer at the station refused to take my report',
  'Die wout reed weer door rood zonder sirene',
];

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ks-bench-collect-'));
  const file = join(dir, 'replay.jsonl');
  const lines = Array.from({ length: N }, (_, i) => JSON.stringify({
    id: `p${i}`, text: `${PHRASES[i % PHRASES.length]} #${i}`, author: `user${i % 997}`, published_at: '2026-11-01T12:00:00Z', lang: 'nl',
  }));
  writeFileSync(file, lines.join('\n') + '\n');
  const database = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE_URL, databasePoolSize: 4, dataDir: join(dir, 'db') });
  await database.migrate();
  const db = database.db;
  const logger = pino({ level: 'silent' });
  const queue = createInProcessQueue(logger);
  const http = new HttpClient(); // no workers started: classify jobs only pile up in memory
  try {
    const rawSource = await ensureSource(db, { kind: 'jsonl', name: `bench-raw-${Date.now()}`, config: { path: file } });
    const baseline = await timed(async () => {
      for (let i = 0; i < N; i += PAGE) {
        const rows = lines.slice(i, i + PAGE).map((raw, k) => toNewPost(rawSource.id, 'import', 'k'.repeat(32), mapJsonlLine({ raw, line: i + k + 1, file: 'replay.jsonl' })));
        await insertPosts(db, rows);
      }
    });
    const source = await ensureSource(db, { kind: 'jsonl', name: `bench-collect-${Date.now()}`, config: { path: file, pageSize: PAGE } });
    const collected = await timed(() => collectSource({ db, queue, logger, http, secrets: {}, pseudonymKey: 'k'.repeat(32), classifyBatchSize: 32 }, source.id, Infinity));
    const mapped = lines.map((raw, k) => mapJsonlLine({ raw, line: k + 1, file: 'replay.jsonl' }));
    const prefilter = createPrefilter();
    const filtering = await timed(async () => mapped.filter((p) => prefilter(p).keep).length);
    const filteredSource = await ensureSource(db, { kind: 'jsonl', name: `bench-prefiltered-${Date.now()}`, config: { path: file, pageSize: PAGE, prefilter: { enabled: true } } });
    const prefiltered = await timed(() => collectSource({ db, queue, logger, http, secrets: {}, pseudonymKey: 'k'.repeat(32), classifyBatchSize: 32 }, filteredSource.id, Infinity));
    await saveCursor(db, source.id, null);
    const replay = await timed(() => collectSource({ db, queue, logger, http, secrets: {}, pseudonymKey: 'k'.repeat(32), classifyBatchSize: 32 }, source.id, Infinity));
    const perSecond = (s: number) => Math.round(N / s);
    report('collect', [
      { path: 'baseline: map + insert, no collector', posts: N, seconds: +baseline.seconds.toFixed(2), posts_per_s: perSecond(baseline.seconds), ratio: 1 },
      { path: 'collect → store (cursor, run counts, enqueue)', posts: collected.value.inserted, seconds: +collected.seconds.toFixed(2), posts_per_s: perSecond(collected.seconds), ratio: +(baseline.seconds / collected.seconds).toFixed(2) },
      { path: `collect → store with prefilter (${prefiltered.value.filtered} dropped)`, posts: N, seconds: +prefiltered.seconds.toFixed(2), posts_per_s: perSecond(prefiltered.seconds), ratio: +(baseline.seconds / prefiltered.seconds).toFixed(2) },
      { path: `prefilter alone (${filtering.value} kept)`, posts: N, seconds: +filtering.seconds.toFixed(3), posts_per_s: perSecond(filtering.seconds), ratio: +(baseline.seconds / filtering.seconds).toFixed(1) },
      { path: 'replay from the start (all duplicates)', posts: replay.value.duplicates, seconds: +replay.seconds.toFixed(2), posts_per_s: perSecond(replay.seconds), ratio: +(baseline.seconds / replay.seconds).toFixed(2) },
    ], { database: database.kind, posts: N, pageSize: PAGE });
  } finally {
    await queue.close();
    await http.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
