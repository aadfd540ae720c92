import { z } from 'zod';

/** Raised for bad configuration; main prints its one-sentence message and exits, no stack trace. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const urlWithProtocols = (protocols: string[], example: string) =>
  z.string().refine((value) => {
    try {
      const url = new URL(value);
      return protocols.includes(url.protocol) && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, `must be a URL like ${example}`);

const boolFromEnv = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user:pass@host:5432/db').optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:'], 'redis://host:6379').optional(),
  QUEUE_PREFIX: z.string().regex(/^[\w:.-]+$/, 'may hold letters, digits, _ : . - only').default('klachtsignaal'),
  WORKER_ROLES: z.string().default('collect,classify,maintenance'),
  CLASSIFIER_MODEL: z.string().min(1).default('models/klachtsignaal-nl'),
  CLASSIFY_BATCH_SIZE: z.coerce.number().int().min(1).max(512).default(32),
  SIGNAL_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  PSEUDONYM_KEY: z.string().min(32, 'must be at least 32 characters of secret').optional(),
  RETENTION_DAYS: z.coerce.number().int().min(1).default(365),
  DEMO_INGEST: z.enum(['auto', 'true', 'false']).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: boolFromEnv.optional(),
});

export type Config = Readonly<{
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  redisUrl: string | undefined;
  queuePrefix: string;
  workerRoles: readonly WorkerRole[];
  classifierModel: string;
  classifyBatchSize: number;
  /** Grievance probability that raises a signal; unset = the classifier's own tuned decision. */
  signalThreshold: number | undefined;
  pseudonymKey: string | undefined;
  retentionDays: number;
  demoIngest: 'auto' | 'true' | 'false';
  logLevel: string;
  logPretty: boolean | undefined;
  /** Collector credentials: every KS_SECRET_<NAME> variable, looked up by <NAME>; never stored in the database. */
  collectorSecrets: Readonly<Record<string, string>>;
  /** No DATABASE_URL and no REDIS_URL: PGlite and in-process jobs in one process. */
  embedded: boolean;
}>;

const SECRET_PREFIX = 'KS_SECRET_';

export const WORKER_ROLES = ['collect', 'classify', 'deliver', 'maintenance'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

function parseRoles(raw: string): WorkerRole[] {
  const roles = raw.split(',').map((r) => r.trim()).filter(Boolean);
  for (const role of roles) {
    if (!(WORKER_ROLES as readonly string[]).includes(role)) {
      throw new ConfigError('WORKER_ROLES', `WORKER_ROLES holds "${role}", which is not one of ${WORKER_ROLES.join(', ')}.`);
    }
  }
  return roles as WorkerRole[];
}

/** Parses the environment once. The only place in the code base that reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(variable, `${variable} ${issue.message.replace(/^Invalid input: /, 'is invalid: ')}.`.replace(/\.\.$/, '.'));
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    workerRoles: Object.freeze(parseRoles(e.WORKER_ROLES)),
    classifierModel: e.CLASSIFIER_MODEL,
    classifyBatchSize: e.CLASSIFY_BATCH_SIZE,
    signalThreshold: e.SIGNAL_THRESHOLD,
    pseudonymKey: e.PSEUDONYM_KEY,
    retentionDays: e.RETENTION_DAYS,
    demoIngest: e.DEMO_INGEST,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY,
    collectorSecrets: Object.freeze(Object.fromEntries(Object.entries(present)
      .filter(([k]) => k.startsWith(SECRET_PREFIX)).map(([k, v]) => [k.slice(SECRET_PREFIX.length), String(v)]))),
    embedded: !e.DATABASE_URL && !e.REDIS_URL,
  });
}
