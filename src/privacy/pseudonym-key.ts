import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '../logger.js';

/**
 * The configured PSEUDONYM_KEY, or for a single-machine install a key generated once into the data
 * directory (mode 0600). Losing the key only means new pseudonyms no longer match old ones.
 */
export function resolvePseudonymKey(configured: string | undefined, dataDir: string, logger: Logger): string {
  if (configured) return configured;
  const file = resolve(dataDir, 'pseudonym.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  logger.warn({ file }, 'PSEUDONYM_KEY not set: generated a key in the data directory; set PSEUDONYM_KEY in production');
  return key;
}
