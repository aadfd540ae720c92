import { and, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYWORD_BASELINE_VERSION } from '../../src/classifier/index.js';
import { classifications, signals } from '../../src/db/schema/index.js';
import { classifyPosts } from '../../src/services/classify.js';
import { baselineClassifier, GRIEVANCE, NOT_GRIEVANCE, seedPosts } from '../support/fixtures.js';
import { spawnEntry } from '../support/processes.js';
import { migratedDatabase } from '../support/services.js';

/**
 * After a model change, `npm run reclassify` (a real child process, in-process queue on PostgreSQL)
 * classifies every stored post with the configured model once, keeps the old model's rows, and moves
 * unreviewed signals to the new model.
 */
describe('npm run reclassify', () => {
  let env: Awaited<ReturnType<typeof migratedDatabase>>;
  beforeAll(async () => { env = await migratedDatabase('reclassify'); });
  afterAll(async () => env.close());

  it('classifies every post with the new model exactly once, keeping the old readings', async () => {
    const db = env.database.db;
    const texts = [...Array.from({ length: 30 }, (_, i) => `${GRIEVANCE} #${i}`), ...Array.from({ length: 20 }, (_, i) => `${NOT_GRIEVANCE} #${i}`)];
    const ids = await seedPosts(db, texts, 'reclassify');
    await classifyPosts({ db, classifier: baselineClassifier(), signalThreshold: undefined }, ids);
    // Pretend all of that came from an older model.
    await db.update(classifications).set({ modelVersion: 'old-model-0' });
    await db.update(signals).set({ modelVersion: 'old-model-0' });

    const childEnv = { DATABASE_URL: env.testDb.url, PSEUDONYM_KEY: 'r'.repeat(32), CLASSIFIER_MODEL: 'keyword-baseline', LOG_LEVEL: 'warn', CLASSIFY_BATCH_SIZE: '8' };
    for (let round = 0; round < 2; round++) {
      const run = spawnEntry('src/reclassify-cli.ts', [], childEnv);
      expect(await run.exited, run.output()).toBe(0);
      expect(run.output()).toContain(`${round === 0 ? ids.length : 0} posts queued for ${KEYWORD_BASELINE_VERSION}`);
    }

    const fresh = await db.select({ postId: classifications.postId }).from(classifications).where(eq(classifications.modelVersion, KEYWORD_BASELINE_VERSION));
    expect(fresh.map((r) => r.postId).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(await db.$count(classifications, eq(classifications.modelVersion, 'old-model-0'))).toBe(ids.length);
    expect(await db.$count(signals, and(eq(signals.state, 'new'), ne(signals.modelVersion, KEYWORD_BASELINE_VERSION)))).toBe(0);
    expect(await db.$count(signals)).toBe(30);
  }, 60_000);
});
