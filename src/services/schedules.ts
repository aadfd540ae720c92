import type { WorkerRole } from '../config.js';
import type { Db } from '../db/client.js';
import { listSources } from '../db/repos/sources.repo.js';
import type { JobQueue } from '../queue/jobs.js';
import { syncSourceSchedule } from './sources.js';

export { sourceSchedulerId } from './sources.js';

export const SWEEP_EVERY_MS = 5 * 60_000;

/** Puts one repeating collect job per enabled, scheduled source, and the maintenance sweep, on the queue. */
export async function syncSchedules(db: Db, queue: JobQueue, roles: readonly WorkerRole[]): Promise<void> {
  if (roles.includes('collect')) {
    for (const source of await listSources(db)) await syncSourceSchedule(queue, source);
  }
  if (roles.includes('maintenance')) await queue.schedule('maintenance-sweep', SWEEP_EVERY_MS, 'maintenance.sweep', {});
}
