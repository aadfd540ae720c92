import { afterEach, describe, expect, it } from 'vitest';
import { COLLECTORS } from '../../src/collectors/registry.js';
import { MalformedItemError } from '../../src/collectors/types.js';
import type { CollectedPost } from '../../src/domain/types.js';
import { fetchContext } from '../support/fixtures.js';
import { hasContract, loadContract, serveContract } from '../support/contract.js';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';

/**
 * One test for every registered collector, driven by fixtures/sources/<kind>/contract.json:
 *   config    the source config; "${BASE_URL}" and "${FIXTURE_DIR}" are substituted
 *   secrets   secrets the collector may ask for (fake values)
 *   routes    [{ method, path | pathRegex, status?, headers?, body? | bodyFile? }] served on 127.0.0.1
 *   expected  the posts `map` must produce, in order, as { externalId, url, authorHandle, text, lang, publishedAt }
 *   malformed how many items must be rejected as malformed
 *   deleted   external ids the collector must report as deleted (optional)
 * Collectors with a streaming transport may add fields their own tests understand; this test
 * needs only HTTP routes or files.
 */
const view = (p: CollectedPost) => ({ externalId: p.externalId, url: p.url, authorHandle: p.authorHandle, text: p.text, lang: p.lang, publishedAt: p.publishedAt?.toISOString() ?? null });

describe.each(COLLECTORS.map((c) => [c.kind, c] as const))('collector contract: %s', (kind, collector) => {
  let server: ReplayServer | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  it('turns its recorded platform payloads into exactly the expected posts', async () => {
    expect(hasContract(kind), `every registered collector needs fixtures/sources/${kind}/contract.json`).toBe(true);
    const spec = loadContract(kind);
    server = await startReplayServer();
    const config = collector.configSchema.parse(serveContract(kind, spec, server));
    const ctx = fetchContext(spec.secrets);
    const posts: CollectedPost[] = [];
    const deleted: string[] = [];
    let malformed = 0;
    let cursor: unknown = null;
    for (let page = 0; page < (spec.maxPages ?? 50); page++) {
      const result = await collector.fetchPage(config, cursor, ctx);
      for (const item of result.items) {
        try {
          const post = collector.map(item, config);
          expect(collector.map(item, config), 'map must be pure').toEqual(post);
          posts.push(post);
        } catch (error) {
          if (!(error instanceof MalformedItemError)) throw error;
          malformed++;
        }
      }
      deleted.push(...(result.deletedExternalIds ?? []));
      expect(JSON.parse(JSON.stringify(result.nextCursor)), 'cursors are stored as JSON').toEqual(result.nextCursor);
      cursor = result.nextCursor;
      if (result.done) break;
    }
    await ctx.http.close();
    expect(posts.map(view)).toEqual(spec.expected);
    expect(malformed).toBe(spec.malformed ?? 0);
    if (spec.deleted) expect(deleted).toEqual(spec.deleted);
  });
});
