import { Hono } from 'hono';
import type { Db } from '../../../db/client.js';
import { getSource, listRuns, listSources } from '../../../db/repos/sources.repo.js';
import { notFound } from '../../../errors.js';
import type { JobQueue } from '../../../queue/jobs.js';
import { changeSource, createSource, requestRun } from '../../../services/sources.js';
import { audit, requireRole, type AppEnv } from '../../auth.js';
import { validate } from '../../problem.js';
import { idParam } from '../signals/signals.schemas.js';
import { createSourceBody, patchSourceBody, runView, runsQuery, sourceView } from './sources.schemas.js';

/** Sources are data: admins add, change, disable and run them; every run's counts and gaps are readable. */
export function sourcesRoutes(db: Db, queue: JobQueue): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requireRole());
  app.get('/', async (c) => c.json({ items: (await listSources(db)).map(sourceView) }));
  app.post('/', async (c) => {
    const body = validate(createSourceBody, await c.req.json().catch(() => undefined));
    const source = await createSource(db, queue, { kind: body.kind, name: body.name, config: body.config, intervalSeconds: body.interval_seconds, enabled: body.enabled });
    await audit(db, c.get('principal'), 'sources.create', 'source', String(source.id), { kind: source.kind, name: source.name });
    return c.json(sourceView(source), 201, { location: `/v1/sources/${source.id}` });
  });
  app.get('/:id', async (c) => {
    const { id } = validate(idParam, c.req.param());
    const source = await getSource(db, id);
    if (!source) throw notFound('Source', id);
    return c.json(sourceView(source));
  });
  app.patch('/:id', async (c) => {
    const { id } = validate(idParam, c.req.param());
    const body = validate(patchSourceBody, await c.req.json().catch(() => undefined));
    const source = await changeSource(db, queue, id, { name: body.name, config: body.config, intervalSeconds: body.interval_seconds, enabled: body.enabled });
    await audit(db, c.get('principal'), 'sources.update', 'source', String(id), { fields: Object.keys(body) });
    return c.json(sourceView(source));
  });
  app.post('/:id/run', async (c) => {
    const { id } = validate(idParam, c.req.param());
    await requestRun(db, queue, id);
    return c.json({ status: 'queued', source_id: id }, 202);
  });
  app.get('/:id/runs', async (c) => {
    const { id } = validate(idParam, c.req.param());
    const { limit } = validate(runsQuery, c.req.query());
    if (!(await getSource(db, id))) throw notFound('Source', id);
    return c.json({ items: (await listRuns(db, id, limit)).map(runView) });
  });
  return app;
}
