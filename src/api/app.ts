import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Deps } from '../deps.js';
import { authenticate, type AppEnv } from './auth.js';
import { errorToProblem, problem } from './problem.js';
import { metricsRoutes } from './routes/metrics/metrics.routes.js';
import { healthRoutes } from './routes/health/health.routes.js';
import { postsRoutes } from './routes/posts/posts.routes.js';
import { sourcesRoutes } from './routes/sources/sources.routes.js';
import { signalsRoutes } from './routes/signals/signals.routes.js';

export type ApiDeps = Pick<Deps, 'db' | 'database' | 'queue' | 'logger' | 'pseudonymKey'> & Partial<Pick<Deps, 'classifier'>>;

export function createApp(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(secureHeaders());
  app.use(bodyLimit({ maxSize: 5 * 1024 * 1024, onError: (c) => problem(c, 413, 'body_too_large', 'The request body is larger than 5 MiB.') }));
  app.route('/', healthRoutes(deps));
  app.get('/', (c) => c.json({
    name: 'klachtsignaal',
    api: '/v1',
    endpoints: ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /v1/signals', 'GET /v1/signals/{id}', 'GET /v1/signals/{id}/explanation', 'GET|DELETE /v1/posts/{id}', 'POST /v1/posts/erasure', 'POST /v1/signals/{id}/review', 'GET|POST /v1/sources', 'GET|PATCH /v1/sources/{id}', 'POST /v1/sources/{id}/run', 'GET /v1/sources/{id}/runs'],
    auth: 'Authorization: Bearer <token>',
  }));
  const v1 = new Hono<AppEnv>();
  v1.use(authenticate(deps.db));
  v1.route('/signals', signalsRoutes(deps.db, deps.classifier));
  v1.route('/posts', postsRoutes(deps.db, deps.pseudonymKey));
  v1.route('/sources', sourcesRoutes(deps.db, deps.queue));
  app.route('/v1', v1);
  const metrics = new Hono<AppEnv>();
  metrics.use(authenticate(deps.db));
  metrics.route('/', metricsRoutes(deps));
  app.route('/metrics', metrics);
  app.notFound((c) => problem(c, 404, 'not_found', `No endpoint ${c.req.method} ${c.req.path}.`));
  app.onError((error, c) => errorToProblem(c, error, (err) => deps.logger.error({ err, path: c.req.path }, 'unhandled error')));
  return app;
}
