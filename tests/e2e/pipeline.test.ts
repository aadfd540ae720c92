import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { countPosts } from '../../src/db/repos/posts.repo.js';
import { ensureSource, listRuns } from '../../src/db/repos/sources.repo.js';
import { posts, signals } from '../../src/db/schema/index.js';
import { issueToken } from '../../src/services/tokens.js';
import { startWorkers } from '../../workers/run.js';
import { createTestDatabase, queuePrefix, redisUrl, waitFor, type TestDatabase } from '../support/services.js';
import { silentLogger } from '../support/fixtures.js';

const line = (id: string, text: string, author = 'jan_de_vries') =>
  JSON.stringify({ id, text, author, url: `https://social.example/@${author}/${id}`, published_at: '2026-11-20T10:00:00Z', lang: 'nl' });

const FIRST_PAGE = [
  line('1', 'Gisteren sloeg een agent mijn broer met een wapenstok terwijl hij al geboeid was. Schandalig, we gaan een klacht indienen.'),
  line('2', 'Top hoe snel de politie er was bij het ongeluk op de A12, dank jullie!'),
  '{"id": "3", "text": ',
  line('4', 'Drie keer 112 gebeld, niemand kwam. De politie deed niks terwijl die man met een mes voor de deur stond.', 'piet'),
  line('1', 'the same id again: a re-shared export must not create a second post'),
  line('5', 'Mijn fiets is alweer gestolen in Utrecht, die dieven zijn echt de ergste.'),
];

describe('end to end: JSONL → collect → classify → signals in the API (PostgreSQL + Redis)', () => {
  let testDb: TestDatabase;
  let deps: Deps;
  let server: ServerType;
  let base: string;
  let dir: string;
  let sourceId: number;
  let token: string;

  beforeAll(async () => {
    testDb = await createTestDatabase('e2e');
    dir = mkdtempSync(join(tmpdir(), 'ks-e2e-'));
    writeFileSync(join(dir, 'posts.jsonl'), FIRST_PAGE.join('\n') + '\n');
    const config = loadConfig({
      DATABASE_URL: testDb.url, REDIS_URL: redisUrl(), QUEUE_PREFIX: queuePrefix('e2e'), DATA_DIR: dir,
      PSEUDONYM_KEY: 'test-key-test-key-test-key-test-key!', CLASSIFY_BATCH_SIZE: '2', LOG_LEVEL: 'silent',
    });
    deps = await createDeps(config, silentLogger);
    await deps.database.migrate();
    await startWorkers(deps, ['collect', 'classify']);
    sourceId = (await ensureSource(deps.db, { kind: 'jsonl', name: 'e2e', config: { path: dir, pageSize: 2 } })).id;
    token = (await issueToken(deps.db, 'coordinator-test', 'coordinator')).token;
    server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await deps.close();
    await testDb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const getSignals = async (query = '') => {
    const res = await request(`${base}/v1/signals${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    return (await res.body.json()) as { items: { id: number; post_id: number; text: string; category: string }[]; next_cursor: string | null };
  };

  it('stores each post once, skips the malformed line, and serves the grievances as signals', async () => {
    await deps.queue.enqueue('source.collect', { sourceId });
    const listed = await waitFor(async () => { const s = await getSignals(); return s.items.length >= 2 && s; }, 30_000, 'two signals');
    const texts = listed.items.map((s) => s.text);
    expect(texts.some((t) => t.includes('wapenstok'))).toBe(true);
    expect(texts.some((t) => t.includes('112'))).toBe(true);
    expect(texts.some((t) => t.includes('A12') || t.includes('fiets'))).toBe(false);

    const run = await waitFor(async () => { const [r] = await listRuns(deps.db, sourceId); return r?.status !== 'running' && r; }, 20_000, 'run to finish');
    expect(await countPosts(deps.db)).toBe(4);
    expect(run).toMatchObject({ status: 'ok', fetched: 6, inserted: 4, duplicates: 1, failed: 1 });

    const stored = await deps.db.select().from(posts);
    for (const p of stored) {
      expect(p.authorPseudonym).toBeTruthy();
      expect(p.authorPseudonym).not.toContain('jan');
    }
  });

  it('a second run over the same file adds nothing; appended lines are picked up from the saved cursor', async () => {
    const signalsBefore = (await deps.db.select().from(signals)).length;
    await deps.queue.enqueue('source.collect', { sourceId });
    await waitFor(async () => (await listRuns(deps.db, sourceId)).length === 2 && (await listRuns(deps.db, sourceId))[0]!.status !== 'running', 20_000, 'second run');
    expect(await countPosts(deps.db)).toBe(4);

    appendFileSync(join(dir, 'posts.jsonl'), line('6', 'Agent noemde mij gisteren bij de controle een racistische naam, ik voelde me vernederd.') + '\n');
    await deps.queue.enqueue('source.collect', { sourceId });
    await waitFor(async () => (await deps.db.select().from(signals)).length === signalsBefore + 1, 20_000, 'new signal');
    expect(await countPosts(deps.db)).toBe(5);
    const [latest] = await listRuns(deps.db, sourceId);
    expect(latest).toMatchObject({ inserted: 1, duplicates: 0, fetched: 1 });
  });

  it('pages through signals with a cursor, newest first, without overlap', async () => {
    const first = await getSignals('?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).toBeTruthy();
    const second = await getSignals(`?limit=2&cursor=${first.next_cursor}`);
    expect(second.items.length).toBeGreaterThanOrEqual(1);
    const ids = [...first.items, ...second.items].map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });
});
