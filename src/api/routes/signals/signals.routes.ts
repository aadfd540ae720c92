import { Hono } from 'hono';
import { explain } from '../../../classifier/explain.js';
import type { Classifier } from '../../../domain/types.js';
import { getSignal, listSignals } from '../../../db/repos/signals.repo.js';
import type { Db } from '../../../db/client.js';
import { AppError, notFound } from '../../../errors.js';
import { audit, requireRole, type AppEnv } from '../../auth.js';
import { decodeCursor, toPage } from '../../pagination.js';
import { validate } from '../../problem.js';
import { review } from '../../../services/review.js';
import { idParam, listSignalsQuery, reviewBody, signalView } from './signals.schemas.js';

const seesContent = (role: string) => role === 'admin' || role === 'coordinator';

export function signalsRoutes(db: Db, classifier?: () => Promise<Classifier>): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', requireRole('coordinator', 'analyst', 'integration'), async (c) => {
    const q = validate(listSignalsQuery, c.req.query());
    const rows = await listSignals(db, {
      state: q.state, category: q.category, unit: q.unit, severity: q.severity, lodged: q.lodged,
      modelVersion: q.model_version, minP: q.min_p, since: q.since, until: q.until,
    }, q.limit + 1, q.cursor ? decodeCursor(q.cursor) : undefined);
    const page = toPage(rows, q.limit);
    const principal = c.get('principal');
    const withContent = seesContent(principal.role);
    if (withContent) await audit(db, principal, 'signals.list', 'signal', null, { count: page.items.length });
    return c.json({ items: page.items.map((s) => signalView(s, withContent)), next_cursor: page.nextCursor });
  });
  app.get('/:id', requireRole('coordinator', 'analyst', 'integration'), async (c) => {
    const { id } = validate(idParam, c.req.param());
    const signal = await getSignal(db, id);
    if (!signal) throw notFound('Signal', id);
    const principal = c.get('principal');
    const withContent = seesContent(principal.role);
    if (withContent) await audit(db, principal, 'signals.read', 'signal', String(id));
    return c.json(signalView(signal, withContent));
  });
  /** Why the current model flags this post: every field's probability and the three closest labelled examples. */
  app.get('/:id/explanation', requireRole('coordinator'), async (c) => {
    const { id } = validate(idParam, c.req.param());
    const signal = await getSignal(db, id);
    if (!signal) throw notFound('Signal', id);
    if (signal.text === null) throw new AppError('gone', `The post of signal ${id} was deleted or erased; there is no text to explain.`, 410);
    if (!classifier) throw new AppError('unavailable', 'This API process has no classifier loaded.', 503);
    const principal = c.get('principal');
    await audit(db, principal, 'signals.explain', 'signal', String(id));
    const explanation = await explain(await classifier(), signal.text);
    return c.json({ signal_id: id, signal_model_version: signal.modelVersion, model_version: explanation.version, probabilities: explanation.probabilities, similar: explanation.similar });
  });
  app.post('/:id/review', requireRole('coordinator'), async (c) => {
    const { id } = validate(idParam, c.req.param());
    const body = validate(reviewBody, await c.req.json().catch(() => undefined));
    const principal = c.get('principal');
    const updated = await review(db, id, { action: body.action, category: body.category, duplicateOf: body.duplicate_of, note: body.note }, `${principal.name}#${principal.tokenId}`);
    await audit(db, principal, `signals.review.${body.action}`, 'signal', String(id), { category: body.category ?? null });
    return c.json(signalView(updated, true));
  });
  return app;
}
