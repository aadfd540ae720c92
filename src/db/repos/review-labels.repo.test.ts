import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { review } from '../../services/review.js';
import { classifyPosts } from '../../services/classify.js';
import { baselineClassifier, seedPosts } from '../../../tests/support/fixtures.js';
import { migratedDatabase } from '../../../tests/support/services.js';
import { posts, signals } from '../schema/index.js';
import { listReviewLabels } from './review-labels.repo.js';

describe('review labels', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  beforeAll(async () => { env = await migratedDatabase('reviewlabels'); });
  afterAll(async () => env.close());

  it('turn confirm, recategorise and dismiss into partial labels; unreviewed, duplicate and erased posts teach nothing', async () => {
    const db = env.database.db;
    const texts = [
      'Agent sloeg mij gisteren met een wapenstok, schandalig.',
      'Agent schold mij gisteren uit bij de controle, echt schandalig.',
      'Agent sloeg die jongen zomaar, schandalig gedrag.',
      'Agent duwde mij vannacht tegen de muur, schandalig.',
      'Agent trapte gisteren mijn fiets om, schandalig.',
      'Agent heeft me uitgelachen bij de balie, schandalig.',
    ];
    const ids = await seedPosts(db, texts, 'reviews');
    await classifyPosts({ db, classifier: baselineClassifier(), signalThreshold: undefined }, ids);
    const signalOf = async (postId: number) => (await db.select().from(signals).where(eq(signals.postId, postId)))[0]!;
    const s = await Promise.all(ids.map(signalOf));

    await review(db, s[0]!.id, { action: 'confirm' }, 'coord');
    await review(db, s[1]!.id, { action: 'confirm', category: 'bejegening' }, 'coord');
    await review(db, s[2]!.id, { action: 'dismiss' }, 'coord');
    await review(db, s[3]!.id, { action: 'duplicate', duplicateOf: s[0]!.id }, 'coord');
    await review(db, s[4]!.id, { action: 'escalate', category: 'overig' }, 'coord');
    await db.update(posts).set({ text: null }).where(eq(posts.id, ids[4]!)); // erased after review
    // s[5] stays unreviewed

    const labels = await listReviewLabels(db);
    expect(labels).toEqual([
      { id: `review-${ids[0]}`, text: texts[0], grievance: true, complaint: true, police_related: true, category: s[0]!.category },
      { id: `review-${ids[1]}`, text: texts[1], grievance: true, complaint: true, police_related: true, category: 'bejegening' },
      { id: `review-${ids[2]}`, text: texts[2], grievance: false },
    ]);
  });
});
