import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { countTokens, insertToken } from '../db/repos/access.repo.js';
import type { Role } from '../domain/taxonomy.js';
import { sha256 } from '../privacy/pseudonymise.js';

const TOKEN_PREFIX = 'ks_';

/** Creates a token and returns it in clear; only its hash is stored, so this is the one time it is seen. */
export async function issueToken(db: Db, name: string, role: Role): Promise<{ id: number; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await insertToken(db, name, role, sha256(token));
  return { id: row.id, token };
}

/** On first start there is no admin: create one and hand the token to the caller to show once. */
export async function ensureFirstAdmin(db: Db): Promise<string | null> {
  if ((await countTokens(db, 'admin')) > 0) return null;
  const { token } = await issueToken(db, 'first-admin', 'admin');
  return token;
}
