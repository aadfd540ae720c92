import type { Deps } from '../../src/deps.js';
import type { JobHandlers } from '../../src/queue/jobs.js';
import { classifyPosts } from '../../src/services/classify.js';
import { collectSource, type CollectDeps } from '../../src/services/collect.js';
import { sweep } from '../../src/services/maintenance.js';

export const collectDeps = (deps: Deps): CollectDeps => ({
  db: deps.db, queue: deps.queue, logger: deps.logger, http: deps.http, secrets: deps.config.collectorSecrets, collectorState: deps.collectorState,
  pseudonymKey: deps.pseudonymKey, classifyBatchSize: deps.config.classifyBatchSize,
  exclusive: deps.database.exclusive,
});

/** The job handlers, shared by the BullMQ workers and the in-process runner of the embedded mode. */
export function createHandlers(deps: Deps): JobHandlers {
  const { config } = deps;
  return {
    'source.collect': async ({ sourceId }) =>
      collectSource(collectDeps(deps), sourceId),
    'post.classify': async ({ postIds }) =>
      classifyPosts({ db: deps.db, classifier: await deps.classifier(), signalThreshold: config.signalThreshold }, postIds),
    'maintenance.sweep': async () =>
      sweep({ db: deps.db, queue: deps.queue, modelVersion: (await deps.classifier()).version, classifyBatchSize: config.classifyBatchSize, retentionDays: config.retentionDays }),
  };
}
