import { serve } from '@hono/node-server';
import { createApp } from './api/app.js';
import { runCli } from './cli.js';
import { ConfigError, loadConfig } from './config.js';
import { createDeps } from './deps.js';
import { ensureDemoSource } from './services/demo.js';
import { ensureFirstAdmin } from './services/tokens.js';
import { closeOnSignals, startWorkers } from '../workers/run.js';

type Mode = 'all' | 'api' | 'workers';

/**
 * One process, roles by argument: `all` (default) serves the API and runs the workers; with no
 * DATABASE_URL/REDIS_URL that is the whole pipeline on PGlite with in-process jobs.
 */
await runCli(async () => {
  const mode = (process.argv[2] ?? 'all') as Mode;
  if (!['all', 'api', 'workers'].includes(mode)) throw new ConfigError('mode', `unknown mode "${mode}"; use all, api or workers.`);
  const config = loadConfig();
  const deps = await createDeps(config);
  const { logger } = deps;
  await deps.database.migrate();

  const firstAdminToken = mode !== 'workers' ? await ensureFirstAdmin(deps.db) : null;
  const demo = config.demoIngest === 'true' || (config.demoIngest === 'auto' && config.embedded);
  if (demo) await ensureDemoSource(deps.db);
  if (mode !== 'api') await startWorkers(deps, config.workerRoles);

  let closeServer = async () => {};
  if (mode !== 'workers') {
    const app = createApp(deps);
    const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new ConfigError('PORT', `PORT ${config.port} is already in use on ${config.host}.`) : error));
    });
    closeServer = () => new Promise((resolve) => server.close(() => resolve()));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const base = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`;
    printBanner({ base, port, embedded: config.embedded, dataDir: config.dataDir, demo, firstAdminToken, transport: deps.queue.transport, model: config.classifierModel });
  }
  logger.info({ mode, database: deps.database.kind, queue: deps.queue.transport }, 'klachtsignaal started');
  closeOnSignals(async () => { await closeServer(); await deps.close(); }, logger);
});

function printBanner(info: { base: string; port: number; embedded: boolean; dataDir: string; demo: boolean; firstAdminToken: string | null; transport: string; model: string }) {
  const lines = [
    '',
    `klachtsignaal is running — API on ${info.base}  (port ${info.port})`,
    info.embedded
      ? `  mode: embedded (PGlite in ${info.dataDir}, in-process jobs); set DATABASE_URL and REDIS_URL for a real deployment`
      : `  mode: PostgreSQL + ${info.transport === 'bullmq' ? 'Redis/BullMQ' : 'in-process jobs'}`,
    `  classifier: ${info.model}`,
    info.demo ? '  demo: ingesting fixtures/demo/*.jsonl, then classifying; signals appear within seconds' : '',
    info.firstAdminToken
      ? `  first admin token (shown once, store it now): ${info.firstAdminToken}`
      : '  admin token: created on the first start (see that output); the database keeps only its hash',
    `  try: curl -H "Authorization: Bearer <token>" ${info.base}/v1/signals`,
    `  health: ${info.base}/healthz   readiness: ${info.base}/readyz`,
    '',
  ];
  process.stdout.write(lines.filter((l) => l !== '').join('\n') + '\n\n');
}
