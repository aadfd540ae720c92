import type { WorkerRole } from '../config.js';

/** Every job the system runs: its payload, the queue (= worker role) that runs it, and its retry policy. */
export interface JobPayloads {
  'source.collect': { sourceId: number };
  'post.classify': { postIds: number[] };
  'webhook.deliver': { deliveryId: number };
  'maintenance.sweep': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export interface JobSpec {
  role: WorkerRole;
  attempts: number;
  /** First retry delay; doubles on each further attempt. */
  backoffMs: number;
}

export const JOBS: Record<JobName, JobSpec> = {
  'source.collect': { role: 'collect', attempts: 5, backoffMs: 5_000 },
  'post.classify': { role: 'classify', attempts: 5, backoffMs: 2_000 },
  'webhook.deliver': { role: 'deliver', attempts: 10, backoffMs: 10_000 },
  'maintenance.sweep': { role: 'maintenance', attempts: 3, backoffMs: 30_000 },
};

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export interface JobContext {
  attempt: number;
  jobId: string;
}

export type JobHandler<N extends JobName> = (data: JobPayloads[N], ctx: JobContext) => Promise<unknown>;
export type JobHandlers = { [N in JobName]?: JobHandler<N> };

export interface EnqueueOptions {
  /** Same id while a job is waiting or active = enqueued once. */
  jobId?: string;
  delayMs?: number;
}

/** The one interface both transports (BullMQ on Redis, in-process) offer to the rest of the code. */
export interface JobQueue {
  readonly transport: 'bullmq' | 'in-process';
  enqueue<N extends JobName>(name: N, data: JobPayloads[N], opts?: EnqueueOptions): Promise<void>;
  /** Repeats a job every `everyMs`; calling again with the same id replaces the schedule. */
  schedule<N extends JobName>(schedulerId: string, everyMs: number, name: N, data: JobPayloads[N]): Promise<void>;
  unschedule(schedulerId: string): Promise<void>;
  /** Starts consuming the queues of the given roles with the given handlers. */
  startWorkers(roles: readonly WorkerRole[], handlers: JobHandlers): Promise<void>;
  counts(): Promise<Record<string, Record<string, number>>>;
  ping(): Promise<void>;
  /** Stops taking jobs, lets in-flight ones finish, closes connections. */
  close(): Promise<void>;
}

export function rolesMissingHandlers(roles: readonly WorkerRole[], handlers: JobHandlers): JobName[] {
  return JOB_NAMES.filter((name) => roles.includes(JOBS[name].role) && !handlers[name]);
}

/** `origin` separates who asked (a collection, a sweep round) so a finished job never blocks a later request. */
export function classifyJobId(origin: string, postIds: number[]): string {
  // BullMQ refuses ':' in custom ids (it separates Redis key parts).
  return `classify_${origin}_${postIds[0]}-${postIds[postIds.length - 1]}_${postIds.length}`;
}
