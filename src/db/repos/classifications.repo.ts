import { and, eq, sql } from 'drizzle-orm';
import type { Classification } from '../../domain/types.js';
import type { Db } from '../client.js';
import { classifications } from '../schema/index.js';

export type ClassificationRow = typeof classifications.$inferSelect;

export function toClassificationRow(postId: number, modelVersion: string, c: Classification): typeof classifications.$inferInsert {
  return {
    postId,
    modelVersion,
    complaint: c.complaint.value, complaintP: c.complaint.p,
    policeRelated: c.policeRelated.value, policeRelatedP: c.policeRelated.p,
    grievance: c.grievance.value, grievanceP: c.grievance.p,
    category: c.category.value, categoryP: c.category.value ? c.category.p : null,
    lodged: c.lodged.value, lodgedP: c.lodged.value ? c.lodged.p : null,
    perspective: c.perspective.value, perspectiveP: c.perspective.value ? c.perspective.p : null,
    severity: c.severity.value, severityP: c.severity.value ? c.severity.p : null,
    unit: c.unit.value, unitP: c.unit.p,
    distributions: c.distributions,
  };
}

/**
 * Stores classifications; one row per post and model version. A retried job overwrites its own
 * earlier result instead of adding a second row.
 */
export async function upsertClassifications(db: Db, rows: (typeof classifications.$inferInsert)[]): Promise<ClassificationRow[]> {
  if (rows.length === 0) return [];
  return db.insert(classifications).values(rows)
    .onConflictDoUpdate({
      target: [classifications.postId, classifications.modelVersion],
      set: {
        complaint: sql`excluded.complaint`, complaintP: sql`excluded.complaint_p`,
        policeRelated: sql`excluded.police_related`, policeRelatedP: sql`excluded.police_related_p`,
        grievance: sql`excluded.grievance`, grievanceP: sql`excluded.grievance_p`,
        category: sql`excluded.category`, categoryP: sql`excluded.category_p`,
        lodged: sql`excluded.lodged`, lodgedP: sql`excluded.lodged_p`,
        perspective: sql`excluded.perspective`, perspectiveP: sql`excluded.perspective_p`,
        severity: sql`excluded.severity`, severityP: sql`excluded.severity_p`,
        unit: sql`excluded.unit`, unitP: sql`excluded.unit_p`,
        distributions: sql`excluded.distributions`,
      },
    })
    .returning();
}

export async function getClassification(db: Db, postId: number, modelVersion: string): Promise<ClassificationRow | undefined> {
  const [row] = await db.select().from(classifications)
    .where(and(eq(classifications.postId, postId), eq(classifications.modelVersion, modelVersion)));
  return row;
}

export async function listClassificationsForPost(db: Db, postId: number): Promise<ClassificationRow[]> {
  return db.select().from(classifications).where(eq(classifications.postId, postId)).orderBy(classifications.createdAt);
}
