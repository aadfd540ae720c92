import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnEntry, type Spawned } from '../support/processes.js';
import { waitFor } from '../support/services.js';

describe('embedded mode (no DATABASE_URL, no REDIS_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ks-embedded-'));
  let proc: Spawned | undefined;
  afterAll(async () => {
    if (proc && proc.child.exitCode === null) { proc.child.kill('SIGKILL'); await proc.exited; }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts as a child process, ingests and classifies the demo posts, serves them over HTTP, and stops on SIGTERM', async () => {
    proc = spawnEntry('src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' });
    const banner = await waitFor(async () => /API on (http:\/\/\S+)[\s\S]*first admin token[^:]*: (ks_\S+)/.exec(proc!.output()), 90_000, 'startup banner');
    const [, base, token] = banner;

    const health = await request(`${base}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    const ready = await request(`${base}/readyz`);
    expect(await ready.body.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });

    const unauthenticated = await request(`${base}/v1/signals`);
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['content-type']).toContain('application/problem+json');
    await unauthenticated.body.dump();

    const items = await waitFor(async () => {
      const res = await request(`${base}/v1/signals?limit=200`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.body.json()) as { items: { text: string }[] };
      return body.items.length >= 5 && body.items;
    }, 90_000, 'demo signals');
    expect(items.some((s) => s.text.includes('kutmarokkaan'))).toBe(true);
    expect(items.some((s) => s.text.startsWith('Top hoe snel'))).toBe(false);

    proc.child.kill('SIGTERM');
    expect(await proc.exited, proc.output()).toBe(0);

    // A second start on the same data directory keeps the data and does not mint another admin token.
    proc = spawnEntry('src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' });
    await waitFor(async () => /API on http/.test(proc!.output()), 90_000, 'second banner');
    expect(proc.output()).not.toMatch(/first admin token \(shown once/);
    const again = await request(`${/API on (http:\/\/\S+)/.exec(proc.output())![1]}/v1/signals?limit=200`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await again.body.json()) as { items: unknown[] }).items.length).toBe(items.length);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });
});
