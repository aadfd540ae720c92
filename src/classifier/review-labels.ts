import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { listReviewLabels } from '../db/repos/review-labels.repo.js';
import type { LabelledPost } from './labelled.js';

/**
 * Labels that come out of the review workflow (confirmed / dismissed / recategorised signals), for
 * `npm run train -- --with-reviews`.
 *
 * Contract for implementations:
 * - one LabelledPost per reviewed post, `id` unique and not colliding with corpus ids
 *   (`review-<post id>`), `text` the post text as classified;
 * - set only the fields the review actually decided; leave the others undefined (unknown). A dismissed
 *   signal is `{ grievance: false }`; a confirmed one `{ grievance: true, complaint: true,
 *   police_related: true, category: <reviewed or model category> }`; duplicates are left out;
 * - an undefined field keeps that post out of that field's head, so partial labels never teach
 *   a head something the reviewer did not say.
 */
export type ReviewLabelsLoader = () => Promise<LabelledPost[]>;

/** Reads the review labels from the configured database (DATABASE_URL, else the embedded one). */
export const loadReviewLabels: ReviewLabelsLoader = async () => {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await database.migrate();
    return await listReviewLabels(database.db);
  } finally {
    await database.close();
  }
};
