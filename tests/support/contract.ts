import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.js';
import type { ReplayServer } from './replay-server.js';

/** fixtures/sources/<kind>/contract.json — see tests/collectors/contract.test.ts for the fields. */
export interface ContractSpec {
  config: unknown;
  secrets?: Record<string, string>;
  routes?: { method: string; path?: string; pathRegex?: string; status?: number; headers?: Record<string, string>; body?: unknown; bodyFile?: string }[];
  expected: { externalId: string; url: string | null; authorHandle: string | null; text: string; lang: string | null; publishedAt: string | null }[];
  malformed?: number;
  deleted?: string[];
  maxPages?: number;
}

export const contractDir = (kind: string) => join(ROOT, 'fixtures', 'sources', kind);
export const hasContract = (kind: string) => existsSync(join(contractDir(kind), 'contract.json'));

export function loadContract(kind: string): ContractSpec {
  return JSON.parse(readFileSync(join(contractDir(kind), 'contract.json'), 'utf8')) as ContractSpec;
}

/** Serves the contract's recorded routes and returns the config pointed at this server. */
export function serveContract(kind: string, spec: ContractSpec, server: ReplayServer): unknown {
  const dir = contractDir(kind);
  for (const r of spec.routes ?? []) {
    const body = r.bodyFile ? readFileSync(join(dir, r.bodyFile)) : r.body;
    server.route(r.method, r.pathRegex ? new RegExp(r.pathRegex) : r.path!, { status: r.status ?? 200, headers: r.headers ?? {}, body });
  }
  return JSON.parse(JSON.stringify(spec.config).replaceAll('${BASE_URL}', server.url).replaceAll('${FIXTURE_DIR}', dir));
}
