import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/client.js';
import { findActiveToken, touchToken, writeAudit } from '../db/repos/access.repo.js';
import type { Role } from '../domain/taxonomy.js';
import { AppError } from '../errors.js';
import { sha256 } from '../privacy/pseudonymise.js';

export interface Principal { tokenId: number; name: string; role: Role }
export type AppEnv = { Variables: { principal: Principal } };

/** Bearer-token authentication: the token's SHA-256 is looked up; the token itself is never stored. */
export function authenticate(db: Db): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('unauthenticated', 'Send an API token as "Authorization: Bearer <token>".', 401);
    const token = await findActiveToken(db, sha256(match[1]!));
    if (!token) throw new AppError('invalid_token', 'The API token is unknown or revoked.', 401);
    c.set('principal', { tokenId: token.id, name: token.name, role: token.role });
    await next();
    // Coarse last-used stamp, off the response path's critical section.
    void touchToken(db, token.id).catch(() => {});
  };
}

/** Admins may do everything; other roles only what is listed. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { role } = c.get('principal');
    if (role !== 'admin' && !roles.includes(role)) {
      throw new AppError('forbidden', `The role "${role}" may not do this; it needs one of: admin, ${roles.join(', ')}.`, 403);
    }
    await next();
  };
}

/** Records who looked at or changed personal data. */
export async function audit(db: Db, principal: Principal, action: string, targetType: string, targetId: string | null, details?: Record<string, unknown>): Promise<void> {
  await writeAudit(db, {
    actor: `${principal.name}#${principal.tokenId}`,
    action,
    targetType,
    ...(targetId !== null ? { targetId } : {}),
    ...(details ? { details } : {}),
  });
}
