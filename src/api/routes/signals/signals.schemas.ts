import { z } from 'zod';
import { CATEGORIES, LODGED, SEVERITIES, SIGNAL_STATES, UNITS } from '../../../domain/taxonomy.js';
import { REVIEW_ACTIONS } from '../../../services/review.js';
import type { SignalWithPost } from '../../../db/repos/signals.repo.js';
import { pageQuery } from '../../pagination.js';

export const listSignalsQuery = z.object({
  ...pageQuery,
  state: z.enum(SIGNAL_STATES).optional(),
  category: z.enum(CATEGORIES).optional(),
  unit: z.enum(UNITS).optional(),
  severity: z.enum(SEVERITIES).optional(),
  lodged: z.enum(LODGED).optional(),
  model_version: z.string().max(200).optional(),
  min_p: z.coerce.number().min(0).max(1).optional(),
  since: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional(),
  until: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional(),
}).strict();

export const reviewBody = z.object({
  action: z.enum(REVIEW_ACTIONS),
  category: z.enum(CATEGORIES).optional(),
  duplicate_of: z.number().int().positive().optional(),
  note: z.string().max(2000).optional(),
}).strict();

export const idParam = z.object({ id: z.coerce.number().int().positive() });

/** The API's view of a signal; `text` and `url` only for roles that work with the posts themselves. */
export function signalView(s: SignalWithPost, withContent: boolean) {
  return {
    id: s.id,
    post_id: s.postId,
    state: s.state,
    grievance_p: s.grievanceP,
    category: s.reviewedCategory ?? s.category,
    model_category: s.category,
    lodged: s.lodged,
    severity: s.severity,
    unit: s.unit,
    model_version: s.modelVersion,
    published_at: s.publishedAt?.toISOString() ?? null,
    created_at: s.createdAt.toISOString(),
    reviewed_at: s.reviewedAt?.toISOString() ?? null,
    review: s.reviewedAt ? { by: s.reviewedBy, note: s.reviewNote, duplicate_of: s.duplicateOf } : null,
    ...(withContent ? { text: s.text, url: s.url, lang: s.lang } : {}),
  };
}
