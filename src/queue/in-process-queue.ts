import { UnrecoverableError } from 'bullmq';
import type { WorkerRole } from '../config.js';
import type { Logger } from '../logger.js';
import { JOBS, type EnqueueOptions, type JobHandlers, type JobName, type JobQueue } from './jobs.js';

interface PendingJob { id: string; name: JobName; data: unknown; attempt: number }

/**
 * Runs the same job handlers as the BullMQ workers, inside this process, for the single-machine
 * mode. Same retry policy; jobs wait in memory, so a crash loses only queue entries, never data:
 * the maintenance sweep re-enqueues any stored post that still lacks a classification.
 */
export function createInProcessQueue(logger: Logger): JobQueue {
  const queues = new Map<WorkerRole, PendingJob[]>();
  const known = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const schedulers = new Map<string, NodeJS.Timeout>();
  const running = new Map<WorkerRole, Promise<void>>();
  const stats: Record<string, Record<string, number>> = {};
  let handlers: JobHandlers = {};
  let activeRoles: readonly WorkerRole[] = [];
  let closed = false;
  let sequence = 0;

  const stat = (role: string, key: string, delta: number) => {
    const s = (stats[role] ??= { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 });
    s[key] = (s[key] ?? 0) + delta;
  };

  const push = (job: PendingJob, delayMs = 0) => {
    const role = JOBS[job.name].role;
    if (delayMs > 0) {
      stat(role, 'delayed', 1);
      const timer = setTimeout(() => { timers.delete(timer); stat(role, 'delayed', -1); push(job); }, delayMs);
      timers.add(timer);
      return;
    }
    const list = queues.get(role) ?? [];
    queues.set(role, list);
    list.push(job);
    stat(role, 'waiting', 1);
    pump(role);
  };

  const pump = (role: WorkerRole) => {
    if (closed || running.has(role) || !activeRoles.includes(role)) return;
    const list = queues.get(role);
    const job = list?.shift();
    if (!job) return;
    stat(role, 'waiting', -1);
    stat(role, 'active', 1);
    const run = runJob(job).finally(() => {
      stat(role, 'active', -1);
      running.delete(role);
      pump(role);
    });
    running.set(role, run);
  };

  const runJob = async (job: PendingJob) => {
    const role = JOBS[job.name].role;
    const handler = handlers[job.name] as ((d: unknown, c: unknown) => Promise<unknown>) | undefined;
    try {
      if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
      await handler(job.data, { attempt: job.attempt, jobId: job.id });
      known.delete(job.id);
      stat(role, 'completed', 1);
    } catch (err) {
      const spec = JOBS[job.name];
      const permanent = err instanceof UnrecoverableError;
      logger.warn({ job: job.name, jobId: job.id, attempt: job.attempt, err }, 'job failed');
      if (!permanent && job.attempt < spec.attempts && !closed) {
        push({ ...job, attempt: job.attempt + 1 }, spec.backoffMs * 2 ** (job.attempt - 1));
      } else {
        known.delete(job.id);
        stat(role, 'failed', 1);
        logger.error({ job: job.name, jobId: job.id, err }, 'job failed for good');
      }
    }
  };

  return {
    transport: 'in-process',
    async enqueue(name, data, opts: EnqueueOptions = {}) {
      const id = opts.jobId ?? `${name}-${++sequence}`;
      if (known.has(id) || closed) return;
      known.add(id);
      push({ id, name, data, attempt: 1 }, opts.delayMs ?? 0);
    },
    async schedule(schedulerId, everyMs, name, data) {
      clearInterval(schedulers.get(schedulerId));
      const fire = () => void this.enqueue(name, data, { jobId: `${schedulerId}` });
      schedulers.set(schedulerId, setInterval(fire, everyMs));
      fire();
    },
    async unschedule(schedulerId) {
      clearInterval(schedulers.get(schedulerId));
      schedulers.delete(schedulerId);
    },
    async startWorkers(roles, given) {
      handlers = { ...handlers, ...given };
      activeRoles = [...new Set([...activeRoles, ...roles])];
      for (const role of roles) pump(role);
    },
    async counts() {
      return structuredClone(stats);
    },
    async ping() {},
    async close() {
      closed = true;
      for (const t of schedulers.values()) clearInterval(t);
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running.values()]);
    },
  } satisfies JobQueue;
}
