import { prefilterSchema } from '../collectors/prefilter.js';
import { COLLECTORS, getCollector } from '../collectors/registry.js';
import type { Db } from '../db/client.js';
import { getSource, getSourceByName, insertSource, updateSource, type SourceRow } from '../db/repos/sources.repo.js';
import { AppError } from '../errors.js';
import type { JobQueue } from '../queue/jobs.js';

export const sourceSchedulerId = (sourceId: number) => `source-${sourceId}`;

export interface SourceInput {
  kind: string;
  name: string;
  config: Record<string, unknown>;
  intervalSeconds?: number | null | undefined;
  enabled?: boolean | undefined;
}

/** Checks a source's config against its collector's own schema; errors name the field. */
export function validateSourceConfig(kind: string, config: Record<string, unknown>): void {
  const collector = getCollector(kind);
  if (!collector) {
    throw new AppError('unknown_kind', `No collector of kind "${kind}"; known kinds: ${COLLECTORS.map((c) => c.kind).join(', ')}.`, 400);
  }
  const errors = [
    ...(collector.configSchema.safeParse(config).error?.issues ?? []).map((i) => ({ field: ['config', ...i.path].join('.'), message: i.message })),
    ...(prefilterSchema.safeParse(config.prefilter).error?.issues ?? []).map((i) => ({ field: ['config', 'prefilter', ...i.path].join('.'), message: i.message })),
  ];
  if (errors.length) throw new AppError('invalid_config', `The config is not valid for a ${kind} source.`, 400, false, { errors });
}

/** Keeps the repeating collect job in step with the source row. */
export async function syncSourceSchedule(queue: JobQueue, source: SourceRow): Promise<void> {
  if (source.enabled && source.intervalSeconds) {
    await queue.schedule(sourceSchedulerId(source.id), source.intervalSeconds * 1000, 'source.collect', { sourceId: source.id });
  } else {
    await queue.unschedule(sourceSchedulerId(source.id));
  }
}

export async function createSource(db: Db, queue: JobQueue, input: SourceInput): Promise<SourceRow> {
  validateSourceConfig(input.kind, input.config);
  if (await getSourceByName(db, input.name)) throw new AppError('name_taken', `A source named "${input.name}" exists already.`, 409);
  const source = await insertSource(db, { kind: input.kind, name: input.name, config: input.config, intervalSeconds: input.intervalSeconds ?? null, enabled: input.enabled ?? true });
  await syncSourceSchedule(queue, source);
  return source;
}

export async function changeSource(db: Db, queue: JobQueue, id: number, patch: Partial<Omit<SourceInput, 'kind'>>): Promise<SourceRow> {
  const current = await getSource(db, id);
  if (!current) throw new AppError('not_found', `Source ${id} does not exist.`, 404);
  if (patch.config) validateSourceConfig(current.kind, patch.config);
  if (patch.name && patch.name !== current.name && (await getSourceByName(db, patch.name))) {
    throw new AppError('name_taken', `A source named "${patch.name}" exists already.`, 409);
  }
  const updated = await updateSource(db, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.config !== undefined ? { config: patch.config } : {}),
    ...(patch.intervalSeconds !== undefined ? { intervalSeconds: patch.intervalSeconds } : {}),
    ...(patch.enabled !== undefined ? { enabled: patch.enabled, ...(patch.enabled ? { healthStatus: current.healthStatus === 'disabled' ? 'never_run' as const : current.healthStatus } : {}) } : {}),
  });
  await syncSourceSchedule(queue, updated);
  return updated;
}

/** Queues one collection now; a second request while one waits is the same job. */
export async function requestRun(db: Db, queue: JobQueue, id: number): Promise<void> {
  const source = await getSource(db, id);
  if (!source) throw new AppError('not_found', `Source ${id} does not exist.`, 404);
  if (!source.enabled) throw new AppError('source_disabled', `Source "${source.name}" is disabled; enable it first.`, 409);
  await queue.enqueue('source.collect', { sourceId: id }, { jobId: `collect-now-${id}` });
}
