import { Hono } from 'hono';
import { signalCountsByState, sourceCountsByHealth } from '../../../db/repos/metrics.repo.js';
import type { ApiDeps } from '../../app.js';
import { requireRole, type AppEnv } from '../../auth.js';

type Sample = [labels: Record<string, string>, value: number];

function gauge(name: string, help: string, samples: Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`];
  for (const [labels, value] of samples) {
    const rendered = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',');
    lines.push(`${name}${rendered ? `{${rendered}}` : ''} ${value}`);
  }
  return lines.join('\n');
}

/** Prometheus text format; failed jobs and failing sources show here, not only in a log. */
export function metricsRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', requireRole('integration'), async (c) => {
    const [jobs, byState, byHealth] = await Promise.all([deps.queue.counts(), signalCountsByState(deps.db), sourceCountsByHealth(deps.db)]);
    const jobSamples: Sample[] = Object.entries(jobs).flatMap(([queue, counts]) =>
      Object.entries(counts).map(([state, n]): Sample => [{ queue, state }, n]));
    const body = [
      gauge('klachtsignaal_jobs', 'Jobs per queue and state (failed = retries exhausted or permanent error).', jobSamples),
      gauge('klachtsignaal_signals', 'Signals per review state.', byState.map((r): Sample => [{ state: r.state }, r.n])),
      gauge('klachtsignaal_sources', 'Sources per health status.', byHealth.map((r): Sample => [{ health: r.health }, r.n])),
    ].join('\n') + '\n';
    return c.text(body, 200, { 'content-type': 'text/plain; version=0.0.4' });
  });
  return app;
}
