import { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import { problem } from '../../problem.js';

/** Liveness and readiness; the only endpoints without a token, and they reveal nothing. */
export function healthRoutes(deps: Pick<Deps, 'database' | 'queue'>): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks: Record<string, 'ok' | 'down'> = {};
    await Promise.all([
      deps.database.ping().then(() => { checks.database = 'ok'; }, () => { checks.database = 'down'; }),
      deps.queue.ping().then(() => { checks.queue = 'ok'; }, () => { checks.queue = 'down'; }),
    ]);
    const ready = Object.values(checks).every((v) => v === 'ok');
    return ready ? c.json({ status: 'ready', checks }) : problem(c, 503, 'not_ready', 'A dependency is not reachable.', { checks });
  });
  return app;
}
