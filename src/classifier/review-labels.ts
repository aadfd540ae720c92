import type { LabelledPost } from './labelled.js';

/**
 * Labels that come out of the review workflow (confirmed / dismissed / corrected signals), for
 * `npm run train -- --with-reviews`. The classifier never touches the database: the DB layer
 * implements this contract and the train CLI calls it.
 *
 * Contract for implementations:
 * - one LabelledPost per reviewed post, `id` unique and not colliding with corpus ids
 *   (e.g. `review-<post id>`), `text` the post text as classified;
 * - set only the fields the review actually decided; leave the others undefined (unknown). A dismissed
 *   signal is `{ grievance: false }`; a confirmed one `{ grievance: true, complaint: true,
 *   police_related: true, category: <reviewed or model category> }`; duplicates are left out;
 * - an undefined field keeps that post out of that field's head, so partial labels never teach
 *   a head something the reviewer did not say.
 */
export type ReviewLabelsLoader = () => Promise<LabelledPost[]>;

/** Replaced by the DB-backed implementation; until then `--with-reviews` fails with this message. */
export const loadReviewLabels: ReviewLabelsLoader = async () => {
  throw new Error('review labels are not wired to the database yet (src/classifier/review-labels.ts: loadReviewLabels)');
};
