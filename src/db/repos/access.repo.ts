import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Role } from '../../domain/taxonomy.js';
import type { Db } from '../client.js';
import { apiTokens, auditLog } from '../schema/index.js';

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertToken(db: Db, name: string, role: Role, tokenHash: string): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values({ name, role, tokenHash }).returning();
  return row!;
}

export async function findActiveToken(db: Db, tokenHash: string): Promise<ApiTokenRow | undefined> {
  const [row] = await db.select().from(apiTokens).where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
  return row;
}

export async function touchToken(db: Db, id: number): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, id));
}

export async function countTokens(db: Db, role?: Role): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(apiTokens)
    .where(role ? and(eq(apiTokens.role, role), isNull(apiTokens.revokedAt)) : undefined);
  return row?.n ?? 0;
}

export interface AuditEntry { actor: string; action: string; targetType?: string; targetId?: string; details?: Record<string, unknown> }

export async function writeAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}
