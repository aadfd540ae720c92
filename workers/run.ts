import { pathToFileURL } from 'node:url';
import { runCli } from '../src/cli.js';
import { ConfigError, loadConfig, WORKER_ROLES, type WorkerRole } from '../src/config.js';
import { createDeps, type Deps } from '../src/deps.js';
import { rolesMissingHandlers } from '../src/queue/jobs.js';
import { syncSchedules } from '../src/services/schedules.js';
import { createHandlers } from './handlers/index.js';

/** Starts workers for the given roles; refuses to start when a job of those roles has no handler. */
export async function startWorkers(deps: Deps, roles: readonly WorkerRole[]): Promise<void> {
  const handlers = createHandlers(deps);
  const missing = rolesMissingHandlers(roles, handlers);
  if (missing.length > 0) {
    throw new ConfigError('WORKER_ROLES', `WORKER_ROLES asks for jobs that have no handler yet: ${missing.join(', ')}.`);
  }
  // Load the model before taking jobs, so a bad CLASSIFIER_MODEL stops start-up instead of every job.
  if (roles.includes('classify')) await deps.classifier();
  await deps.queue.startWorkers(roles, handlers);
  await syncSchedules(deps.db, deps.queue, roles);
}

/** Stops on SIGTERM/SIGINT: no new jobs, in-flight jobs finish, then connections close. */
export function closeOnSignals(close: () => Promise<void>, logger: Deps['logger']): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'draining in-flight jobs and shutting down');
    close().then(() => process.exit(0), (error) => { logger.error({ err: error }, 'unclean shutdown'); process.exit(1); });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

export async function runWorkerProcess(requested?: readonly string[]): Promise<void> {
  await runCli(async () => {
    const config = loadConfig();
    const roles = (requested?.length ? requested : config.workerRoles) as WorkerRole[];
    const unknown = roles.filter((r) => !(WORKER_ROLES as readonly string[]).includes(r));
    if (unknown.length) throw new ConfigError('roles', `unknown worker role(s) ${unknown.join(', ')}; choose from ${WORKER_ROLES.join(', ')}.`);
    const deps = await createDeps(config);
    await deps.database.migrate();
    await startWorkers(deps, roles);
    deps.logger.info({ roles, transport: deps.queue.transport }, 'workers started');
    closeOnSignals(() => deps.close(), deps.logger);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runWorkerProcess(process.argv.slice(2));
}
