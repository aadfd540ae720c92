import type { Db } from '../db/client.js';
import { getSignal, reviewSignal, type SignalWithPost } from '../db/repos/signals.repo.js';
import type { Category } from '../domain/taxonomy.js';
import { AppError } from '../errors.js';

export const REVIEW_ACTIONS = ['confirm', 'dismiss', 'duplicate', 'escalate', 'reopen'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

const STATE_OF: Record<ReviewAction, SignalWithPost['state']> = {
  confirm: 'confirmed', dismiss: 'dismissed', duplicate: 'duplicate', escalate: 'escalated', reopen: 'new',
};

export interface ReviewInput {
  action: ReviewAction;
  /** Recategorise: the category the reviewer says is right (confirm or escalate). */
  category?: Category | undefined;
  duplicateOf?: number | undefined;
  note?: string | undefined;
}

/**
 * A coordinator's judgement on a signal. It sets the review state, and it is a training label:
 * confirm/escalate = a grievance (in the given or the model's category), dismiss = not one.
 */
export async function review(db: Db, id: number, input: ReviewInput, reviewer: string): Promise<SignalWithPost> {
  const signal = await getSignal(db, id);
  if (!signal) throw new AppError('not_found', `Signal ${id} does not exist.`, 404);
  if (input.action === 'duplicate') {
    if (!input.duplicateOf) throw new AppError('validation_failed', 'A duplicate needs duplicate_of: the signal it repeats.', 400, false, { errors: [{ field: 'duplicate_of', message: 'required for action duplicate' }] });
    if (input.duplicateOf === id) throw new AppError('validation_failed', 'A signal cannot duplicate itself.', 400, false, { errors: [{ field: 'duplicate_of', message: 'must be another signal' }] });
    if (!(await getSignal(db, input.duplicateOf))) throw new AppError('not_found', `Signal ${input.duplicateOf} (duplicate_of) does not exist.`, 404);
  }
  if (input.category && !['confirm', 'escalate'].includes(input.action)) {
    throw new AppError('validation_failed', 'A category goes with confirm or escalate.', 400, false, { errors: [{ field: 'category', message: `not allowed with action ${input.action}` }] });
  }
  await reviewSignal(db, id, {
    state: STATE_OF[input.action],
    reviewedCategory: input.action === 'reopen' ? null : input.category ?? null,
    duplicateOf: input.action === 'duplicate' ? input.duplicateOf! : null,
    note: input.note ?? null,
    reviewedBy: reviewer,
  });
  return (await getSignal(db, id))!;
}
