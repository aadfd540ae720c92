import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema/index.js';
import { classifyPosts } from '../services/classify.js';
import { issueToken } from '../services/tokens.js';
import { createInProcessQueue } from '../queue/in-process-queue.js';
import { baselineClassifier, GRIEVANCE, NOT_GRIEVANCE, seedPosts, silentLogger } from '../../tests/support/fixtures.js';
import { migratedDatabase } from '../../tests/support/services.js';
import { createApp } from './app.js';

describe('API', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  let app: ReturnType<typeof createApp>;
  const tokens: Record<string, string> = {};
  let postIds: number[];

  beforeAll(async () => {
    env = await migratedDatabase('api');
    const db = env.database.db;
    app = createApp({ db, database: env.database, queue: createInProcessQueue(silentLogger), logger: silentLogger, pseudonymKey: 'k'.repeat(32) });
    for (const role of ['admin', 'coordinator', 'analyst', 'integration'] as const) tokens[role] = (await issueToken(db, `${role}-t`, role)).token;
    postIds = await seedPosts(db, [...Array.from({ length: 7 }, (_, i) => `${GRIEVANCE} ${i}`), NOT_GRIEVANCE]);
    await classifyPosts({ db, classifier: baselineClassifier(), signalThreshold: undefined }, postIds);
  });
  afterAll(async () => env.close());

  // Response bodies are checked field by field below; their static type adds nothing here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = (res: Response): Promise<any> => res.json();
  const get = (path: string, role?: string) =>
    app.request(path, role ? { headers: { authorization: `Bearer ${tokens[role] ?? role}` } } : {});

  it('answers health without a token', async () => {
    expect((await get('/healthz')).status).toBe(200);
    const ready = await get('/readyz');
    expect(await json(ready)).toEqual({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
  });

  it('refuses requests without a valid token as problem+json', async () => {
    for (const res of [await get('/v1/signals'), await get('/v1/signals', 'ks_not-a-real-token')]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = await json(res);
      expect(body).toMatchObject({ status: 401, instance: '/v1/signals' });
      expect(body.type).toMatch(/^urn:klachtsignaal:problem:/);
    }
  });

  it('enforces roles: analysts see signals without post content, only coordinators and admins read posts', async () => {
    const asAnalyst = await json(await get('/v1/signals', 'analyst'));
    expect(asAnalyst.items.length).toBeGreaterThan(0);
    expect(asAnalyst.items[0]).not.toHaveProperty('text');
    const asCoordinator = await json(await get('/v1/signals', 'coordinator'));
    expect(asCoordinator.items[0].text).toContain('wapenstok');
    expect((await get(`/v1/posts/${postIds[0]}`, 'analyst')).status).toBe(403);
    const post = await json(await get(`/v1/posts/${postIds[0]}`, 'coordinator'));
    expect(post.classifications[0].grievance.value).toBe(true);
    expect(post.classifications[0].model_version).toBe('keyword-baseline-1');
  });

  it('logs who read personal data', async () => {
    await get(`/v1/posts/${postIds[1]}`, 'admin');
    const rows = await env.database.db.select().from(auditLog);
    expect(rows.some((r) => r.action === 'posts.read' && r.targetId === String(postIds[1]) && r.actor.startsWith('admin-t#'))).toBe(true);
  });

  it('filters, and pages with an opaque cursor until the end', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/v1/signals?limit=3&category=geweld${cursor ? `&cursor=${cursor}` : ''}`, 'coordinator');
      const body = await json(res);
      seen.push(...body.items.map((s: { id: number }) => s.id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const none = await json(await get('/v1/signals?category=privacy', 'coordinator'));
    expect(none.items).toEqual([]);
  });

  it('rejects invalid input field by field', async () => {
    const res = await get('/v1/signals?limit=0&category=nonsense&colour=red', 'coordinator');
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['', 'category', 'limit']);
    expect((await get('/v1/signals?cursor=garbage', 'coordinator')).status).toBe(400);
  });

  it('records a coordinator review: confirm with a new category, dismiss, duplicate, reopen', async () => {
    const post = (path: string, body: unknown, role = 'coordinator') =>
      app.request(path, { method: 'POST', headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const items = (await json(await get('/v1/signals?limit=3', 'coordinator'))).items;
    const [a, b, c] = items.map((s: { id: number }) => s.id);
    const confirmed = await json(await post(`/v1/signals/${a}/review`, { action: 'confirm', category: 'bejegening', note: 'rude, not violent' }));
    expect(confirmed).toMatchObject({ state: 'confirmed', category: 'bejegening', model_category: 'geweld', review: { note: 'rude, not violent' } });
    expect((await json(await post(`/v1/signals/${b}/review`, { action: 'dismiss' }))).state).toBe('dismissed');
    expect((await json(await post(`/v1/signals/${c}/review`, { action: 'duplicate', duplicate_of: a }))).review.duplicate_of).toBe(a);
    expect((await post(`/v1/signals/${c}/review`, { action: 'duplicate' })).status).toBe(400);
    expect((await post(`/v1/signals/${c}/review`, { action: 'dismiss', category: 'geweld' })).status).toBe(400);
    expect((await post(`/v1/signals/${c}/review`, { action: 'shrug' })).status).toBe(400);
    expect((await post(`/v1/signals/${c}/review`, { action: 'confirm' }, 'analyst')).status).toBe(403);
    expect((await json(await get('/v1/signals?state=confirmed', 'coordinator'))).items.map((s: { id: number }) => s.id)).toEqual([a]);
    expect((await json(await post(`/v1/signals/${b}/review`, { action: 'reopen' }))).state).toBe('new');
  });

  it('erases one post, and every post of one author on request, keeping the rows for counts', async () => {
    const del = await app.request(`/v1/posts/${postIds[7]}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(del.status).toBe(204);
    const erased = await json(await get(`/v1/posts/${postIds[7]}`, 'admin'));
    expect(erased).toMatchObject({ text: null, author_pseudonym: null, deleted: true });
    expect((await app.request(`/v1/posts/${postIds[6]}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.coordinator}` } })).status).toBe(403);

    const { insertPosts } = await import('../db/repos/posts.repo.js');
    const { pseudonymiseHandle } = await import('../privacy/pseudonymise.js');
    const sourceId = erased.source_id;
    const author = pseudonymiseHandle('k'.repeat(32), 'mastodon', '@piet@social.example');
    await insertPosts(env.database.db, [1, 2].map((i) => ({ sourceId, externalId: `erase-${i}`, text: `post ${i}`, contentHash: `e${i}`, authorPseudonym: author })));
    const res = await app.request('/v1/posts/erasure', { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'mastodon', handle: 'piet@social.example' }) });
    expect(await json(res)).toEqual({ erased: 2 });
  });

  it('answers unknown ids and routes with 404 problems', async () => {
    const missing = await get('/v1/signals/999999', 'coordinator');
    expect(missing.status).toBe(404);
    expect((await json(missing)).code).toBe('not_found');
    expect((await get('/v1/nothing-here', 'coordinator')).status).toBe(404);
    expect((await get('/v1/signals/abc', 'coordinator')).status).toBe(400);
  });

  it('explains a signal to coordinators with the current model, and says why when it cannot', async () => {
    const db = env.database.db;
    const withModel = createApp({ db, database: env.database, queue: createInProcessQueue(silentLogger), logger: silentLogger, pseudonymKey: 'k'.repeat(32), classifier: async () => baselineClassifier() });
    const { signals } = await import('../db/schema/index.js');
    const { eq } = await import('drizzle-orm');
    const [live] = await db.select({ id: signals.id }).from(signals).where(eq(signals.postId, postIds[1]!));
    const ask = (target: ReturnType<typeof createApp>, id: number, role: string) =>
      target.request(`/v1/signals/${id}/explanation`, { headers: { authorization: `Bearer ${tokens[role]}` } });

    const res = await ask(withModel, live!.id, 'coordinator');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ signal_id: live!.id, model_version: 'keyword-baseline-1', similar: [] });
    expect(body.probabilities.grievance).toEqual({ value: true, p: expect.any(Number) });
    expect(Object.keys(body.probabilities).sort()).toEqual(['category', 'complaint', 'grievance', 'lodged', 'perspective', 'police_related', 'severity', 'unit']);
    expect((await ask(withModel, live!.id, 'analyst')).status).toBe(403);
    expect((await ask(app, live!.id, 'coordinator')).status).toBe(503);
    const [erased] = await db.select({ id: signals.id }).from(signals).where(eq(signals.postId, postIds[6]!));
    const { posts } = await import('../db/schema/index.js');
    await db.update(posts).set({ text: null }).where(eq(posts.id, postIds[6]!));
    expect((await ask(withModel, erased!.id, 'coordinator')).status).toBe(410);
  });
});
