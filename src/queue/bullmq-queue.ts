import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { ConfigError, type WorkerRole } from '../config.js';
import type { Logger } from '../logger.js';
import { JOBS, JOB_NAMES, type EnqueueOptions, type JobHandlers, type JobName, type JobPayloads, type JobQueue } from './jobs.js';

const ROLES_WITH_JOBS = [...new Set(JOB_NAMES.map((n) => JOBS[n].role))];

/** Fails fast with one sentence when Redis cannot be reached, instead of ioredis retrying forever. */
export async function assertRedisReachable(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError('REDIS_URL', `REDIS_URL points at a Redis server that cannot be reached (${reason}).`);
  } finally {
    probe.disconnect();
  }
}

export function createBullmqQueue(url: string, prefix: string, logger: Logger, concurrency: Partial<Record<WorkerRole, number>> = {}): JobQueue {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  connection.on('error', (error) => logger.error({ err: error }, 'redis connection error'));
  const queues = new Map<WorkerRole, Queue>();
  const workers: Worker[] = [];
  const workerConnections: Redis[] = [];
  const queueFor = (role: WorkerRole): Queue => {
    let queue = queues.get(role);
    if (!queue) {
      queue = new Queue(role, { connection, prefix });
      queues.set(role, queue);
    }
    return queue;
  };
  const jobOptions = (name: JobName, opts: EnqueueOptions = {}) => ({
    attempts: JOBS[name].attempts,
    backoff: { type: 'exponential' as const, delay: JOBS[name].backoffMs },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    // Failed jobs stay visible (counts, /metrics) for a week instead of vanishing.
    removeOnFail: { age: 7 * 24 * 3600 },
    ...(opts.jobId ? { jobId: opts.jobId } : {}),
    ...(opts.delayMs ? { delay: opts.delayMs } : {}),
  });

  return {
    transport: 'bullmq',
    async enqueue(name, data, opts) {
      await queueFor(JOBS[name].role).add(name, data, jobOptions(name, opts));
    },
    async schedule(schedulerId, everyMs, name, data) {
      await queueFor(JOBS[name].role).upsertJobScheduler(schedulerId, { every: everyMs }, { name, data, opts: jobOptions(name) });
    },
    async unschedule(schedulerId) {
      await Promise.all(ROLES_WITH_JOBS.map((role) => queueFor(role).removeJobScheduler(schedulerId)));
    },
    async startWorkers(roles, handlers: JobHandlers) {
      for (const role of roles) {
        const workerConnection = connection.duplicate();
        workerConnections.push(workerConnection);
        const worker = new Worker(role, async (job: Job) => {
          const handler = handlers[job.name as JobName] as ((d: unknown, c: unknown) => Promise<unknown>) | undefined;
          if (!handler) throw new Error(`no handler for job ${job.name} in role ${role}`);
          return handler(job.data, { attempt: job.attemptsMade + 1, jobId: job.id ?? '' });
        }, { connection: workerConnection, prefix, concurrency: concurrency[role] ?? 1 });
        worker.on('failed', (job, err) => logger.warn({ job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err }, 'job failed'));
        worker.on('error', (err) => logger.error({ err }, 'worker error'));
        workers.push(worker);
      }
    },
    async counts() {
      const out: Record<string, Record<string, number>> = {};
      for (const role of ROLES_WITH_JOBS) {
        out[role] = await queueFor(role).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
      }
      return out;
    },
    async ping() {
      await connection.ping();
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      for (const c of workerConnections) c.disconnect();
      connection.disconnect();
    },
  } satisfies JobQueue;
}

export type { JobPayloads };
