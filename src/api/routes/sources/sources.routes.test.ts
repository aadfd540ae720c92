import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createInProcessQueue } from '../../../queue/in-process-queue.js';
import { issueToken } from '../../../services/tokens.js';
import { FIXTURES_DIR } from '../../../paths.js';
import { silentLogger } from '../../../../tests/support/fixtures.js';
import { migratedDatabase } from '../../../../tests/support/services.js';
import { createApp } from '../../app.js';

describe('/v1/sources', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let app: ReturnType<typeof createApp>;
  const queue = createInProcessQueue(silentLogger);
  let admin: string;
  let coordinator: string;
  beforeAll(async () => {
    env = await migratedDatabase('sources');
    app = createApp({ db: env.database.db, database: env.database, queue, logger: silentLogger, pseudonymKey: 'k'.repeat(32) });
    admin = (await issueToken(env.database.db, 'admin', 'admin')).token;
    coordinator = (await issueToken(env.database.db, 'coord', 'coordinator')).token;
  });
  afterAll(async () => { await queue.close(); await env.close(); });

  const call = (method: string, path: string, token: string, body?: unknown) => app.request(path, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = (res: Response): Promise<any> => res.json();

  it('is for admins only', async () => {
    expect((await call('GET', '/v1/sources', coordinator)).status).toBe(403);
  });

  it('creates a source after checking its config against the collector, and refuses a second of the same name', async () => {
    const bad = await call('POST', '/v1/sources', admin, { kind: 'jsonl', name: 'bad', config: { pageSize: 0 } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).errors.map((e: { field: string }) => e.field).sort()).toEqual(['config.pageSize', 'config.path']);
    const unknownKind = await call('POST', '/v1/sources', admin, { kind: 'myspace', name: 'x', config: {} });
    expect((await json(unknownKind)).code).toBe('unknown_kind');

    const created = await call('POST', '/v1/sources', admin, { kind: 'jsonl', name: 'archive', config: { path: join(FIXTURES_DIR, 'demo') }, interval_seconds: 600 });
    expect(created.status).toBe(201);
    const source = await json(created);
    expect(source).toMatchObject({ kind: 'jsonl', name: 'archive', enabled: true, interval_seconds: 600, health: { status: 'never_run' } });
    expect(created.headers.get('location')).toBe(`/v1/sources/${source.id}`);
    expect((await call('POST', '/v1/sources', admin, { kind: 'jsonl', name: 'archive', config: { path: '/x' } })).status).toBe(409);
  });

  it('runs a source on request and shows the run with its counts', async () => {
    const [source] = (await json(await call('GET', '/v1/sources', admin))).items;
    await queue.startWorkers(['collect'], {
      'source.collect': async ({ sourceId }) => {
        const { collectSource } = await import('../../../services/collect.js');
        const { HttpClient } = await import('../../../collectors/http.js');
        return collectSource({ db: env.database.db, queue, logger: silentLogger, http: new HttpClient(), secrets: {}, pseudonymKey: 'k'.repeat(32), classifyBatchSize: 16 }, sourceId);
      },
    });
    expect((await call('POST', `/v1/sources/${source.id}/run`, admin)).status).toBe(202);
    // The schedule's first run and the requested one may both run: together they store each post once.
    let runs: { status: string; counts: Record<string, number> }[] = [];
    const settled = () => runs.length > 0 && runs.every((r) => r.status !== 'running') && runs.reduce((n, r) => n + r.counts.new!, 0) === 40;
    for (let i = 0; i < 100 && !settled(); i++) {
      await new Promise((r) => setTimeout(r, 50));
      runs = (await json(await call('GET', `/v1/sources/${source.id}/runs`, admin))).items;
    }
    expect(runs.every((r) => r.status === 'ok')).toBe(true);
    expect(runs.reduce((n, r) => n + r.counts.new!, 0)).toBe(40);
    expect(runs.reduce((n, r) => n + r.counts.failed!, 0)).toBe(0);
  });

  it('disables and renames through PATCH, validating input', async () => {
    const [source] = (await json(await call('GET', '/v1/sources', admin))).items;
    expect((await call('PATCH', `/v1/sources/${source.id}`, admin, {})).status).toBe(400);
    expect((await call('PATCH', `/v1/sources/${source.id}`, admin, { interval_seconds: 5 })).status).toBe(400);
    const patched = await json(await call('PATCH', `/v1/sources/${source.id}`, admin, { enabled: false, name: 'archive-old' }));
    expect(patched).toMatchObject({ enabled: false, name: 'archive-old' });
    const refused = await call('POST', `/v1/sources/${source.id}/run`, admin);
    expect(refused.status).toBe(409);
    expect((await json(refused)).code).toBe('source_disabled');
    expect((await call('GET', '/v1/sources/9999', admin)).status).toBe(404);
  });
});
