import { HttpClient } from './collectors/http.js';
import { loadClassifier } from './classifier/index.js';
import { ConfigError, type Config } from './config.js';
import { openDatabase, type Database, type Db } from './db/client.js';
import type { Classifier } from './domain/types.js';
import { createLogger, type Logger } from './logger.js';
import { resolvePseudonymKey } from './privacy/pseudonym-key.js';
import { assertRedisReachable, createBullmqQueue } from './queue/bullmq-queue.js';
import { createInProcessQueue } from './queue/in-process-queue.js';
import type { JobQueue } from './queue/jobs.js';

/** Everything the API, the workers and the CLIs need, built once from the config. */
export interface Deps {
  config: Config;
  logger: Logger;
  database: Database;
  db: Db;
  queue: JobQueue;
  pseudonymKey: string;
  /** The one HTTP client all collectors share (per-host limits hold across sources). */
  http: HttpClient;
  /** Collectors' process-local memory (OAuth tokens, sessions), shared by all runs in this process. */
  collectorState: Map<string, unknown>;
  /** Loaded on first use and then shared: the model is loaded once per process. */
  classifier(): Promise<Classifier>;
  close(): Promise<void>;
}

export async function createDeps(config: Config, logger: Logger = createLogger(config)): Promise<Deps> {
  if (config.redisUrl) await assertRedisReachable(config.redisUrl);
  const database = await openDatabase(config);
  const queue = config.redisUrl ? createBullmqQueue(config.redisUrl, config.queuePrefix, logger) : createInProcessQueue(logger);
  if (config.redisUrl && !config.databaseUrl) {
    logger.warn('REDIS_URL without DATABASE_URL: workers in other processes cannot reach this process\'s embedded database');
  }
  let classifier: Promise<Classifier> | undefined;
  const http = new HttpClient();
  return {
    config,
    logger,
    database,
    db: database.db,
    queue,
    pseudonymKey: resolvePseudonymKey(config.pseudonymKey, config.dataDir, logger),
    http,
    collectorState: new Map(),
    // Here the model comes from configuration, so a failure names the variable to fix.
    classifier: () => (classifier ??= loadClassifier(config.classifierModel).catch((error: Error) => {
      throw new ConfigError('CLASSIFIER_MODEL', `CLASSIFIER_MODEL ${error.message}`);
    })),
    async close() {
      await queue.close();
      await http.close();
      if (classifier) await (await classifier.catch(() => undefined))?.close?.();
      await database.close();
    },
  };
}
