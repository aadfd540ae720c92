import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { spawnEntry } from './support/processes.js';

describe('configuration', () => {
  it('defaults to the embedded single-machine mode', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ embedded: true, port: 8080, databaseUrl: undefined, redisUrl: undefined, classifierModel: 'models/klachtsignaal-nl' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: 'mysql://nope' }],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
    ['REDIS_URL', { REDIS_URL: 'localhost:6379' }],
    ['PORT', { PORT: 'eighty' }],
    ['SIGNAL_THRESHOLD', { SIGNAL_THRESHOLD: '1.5' }],
    ['WORKER_ROLES', { WORKER_ROLES: 'collect,cook' }],
  ])('rejects a bad %s with an error naming it', (variable, env) => {
    let error: unknown;
    try { loadConfig(env); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toMatch(new RegExp(`^${variable} `));
  });

  it.each([
    ['a malformed DATABASE_URL', { DATABASE_URL: 'postgres//broken' }, /DATABASE_URL/],
    ['an unreachable Redis', { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', REDIS_URL: 'redis://127.0.0.1:1' }, /REDIS_URL points at a Redis server that cannot be reached/],
    ['an unreachable PostgreSQL', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }, /DATABASE_URL points at a PostgreSQL server that cannot be reached/],
    ['a CLASSIFIER_MODEL folder that does not exist', { DATA_DIR: mkdtempSync(join(tmpdir(), 'ks-cfg-')), CLASSIFIER_MODEL: 'models/no-such-model', DEMO_INGEST: 'false' }, /CLASSIFIER_MODEL model "models\/no-such-model" cannot be loaded/],
  ])('stops the process on %s with one clear sentence, no stack trace', async (_what, env, pattern) => {
    const proc = spawnEntry('src/main.ts', [], { ...env, LOG_LEVEL: 'silent' });
    expect(await proc.exited).toBe(2);
    const lines = proc.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^klachtsignaal: configuration error: /);
    expect(lines[0]).toMatch(pattern);
    expect(proc.output()).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
