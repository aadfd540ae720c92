import { z } from 'zod';
import type { SourceRow, SourceRunRow } from '../../../db/repos/sources.repo.js';

const name = z.string().trim().min(1).max(120).regex(/^[\w .:/@-]+$/, 'letters, digits, space and _ . : / @ - only');
const interval = z.number().int().min(30).max(7 * 86_400).nullable();

export const createSourceBody = z.object({
  kind: z.string().min(1),
  name,
  config: z.record(z.string(), z.unknown()),
  interval_seconds: interval.optional(),
  enabled: z.boolean().optional(),
}).strict();

export const patchSourceBody = z.object({
  name: name.optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  interval_seconds: interval.optional(),
  enabled: z.boolean().optional(),
}).strict().refine((b) => Object.keys(b).length > 0, 'send at least one field to change');

export const runsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }).strict();

export function sourceView(s: SourceRow) {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    config: s.config,
    interval_seconds: s.intervalSeconds,
    enabled: s.enabled,
    cursor: s.cursor ?? null,
    health: { status: s.healthStatus, last_error: s.lastError, last_run_at: s.lastRunAt?.toISOString() ?? null, consecutive_failures: s.consecutiveFailures },
    created_at: s.createdAt.toISOString(),
  };
}

export function runView(r: SourceRunRow) {
  return {
    id: r.id,
    status: r.status,
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt?.toISOString() ?? null,
    counts: { fetched: r.fetched, new: r.inserted, duplicate: r.duplicates, filtered: r.filtered, failed: r.failed, deleted: r.deleted },
    filtered_by: r.filteredBy,
    cursor_after: r.cursorAfter ?? null,
    gap: r.gap ?? null,
    error: r.error,
  };
}
