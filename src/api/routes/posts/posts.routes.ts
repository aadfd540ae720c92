import { Hono } from 'hono';
import { z } from 'zod';
import { erasePost, erasePostsByAuthor } from '../../../db/repos/retention.repo.js';
import { pseudonymiseHandle } from '../../../privacy/pseudonymise.js';
import type { Db } from '../../../db/client.js';
import { listClassificationsForPost, type ClassificationRow } from '../../../db/repos/classifications.repo.js';
import { getPost } from '../../../db/repos/posts.repo.js';
import { notFound } from '../../../errors.js';
import { audit, requireRole, type AppEnv } from '../../auth.js';
import { validate } from '../../problem.js';
import { idParam } from '../signals/signals.schemas.js';

function classificationView(c: ClassificationRow) {
  const field = <T>(value: T, p: number | null) => ({ value, p });
  return {
    model_version: c.modelVersion,
    complaint: field(c.complaint, c.complaintP),
    police_related: field(c.policeRelated, c.policeRelatedP),
    grievance: field(c.grievance, c.grievanceP),
    category: field(c.category, c.categoryP),
    lodged: field(c.lodged, c.lodgedP),
    perspective: field(c.perspective, c.perspectiveP),
    severity: field(c.severity, c.severityP),
    unit: field(c.unit, c.unitP),
    distributions: c.distributions,
    created_at: c.createdAt.toISOString(),
  };
}

const erasureBody = z.object({ platform: z.string().min(1).max(40), handle: z.string().min(1).max(300) }).strict();

export function postsRoutes(db: Db, pseudonymKey: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  /** Erasure request for one person: their handle is hashed with the same key, never stored. */
  app.post('/erasure', requireRole(), async (c) => {
    const { platform, handle } = validate(erasureBody, await c.req.json().catch(() => undefined));
    const erased = await erasePostsByAuthor(db, pseudonymiseHandle(pseudonymKey, platform, handle));
    await audit(db, c.get('principal'), 'posts.erase_author', 'author', null, { platform, erased });
    return c.json({ erased });
  });
  app.delete('/:id', requireRole(), async (c) => {
    const { id } = validate(idParam, c.req.param());
    if (!(await erasePost(db, id))) throw notFound('Post', id);
    await audit(db, c.get('principal'), 'posts.erase', 'post', String(id));
    return c.body(null, 204);
  });
  app.get('/:id', requireRole('coordinator'), async (c) => {
    const { id } = validate(idParam, c.req.param());
    const post = await getPost(db, id);
    if (!post) throw notFound('Post', id);
    await audit(db, c.get('principal'), 'posts.read', 'post', String(id));
    return c.json({
      id: post.id,
      source_id: post.sourceId,
      external_id: post.externalId,
      url: post.url,
      author_pseudonym: post.authorPseudonym,
      text: post.text,
      lang: post.lang,
      published_at: post.publishedAt?.toISOString() ?? null,
      collected_at: post.collectedAt.toISOString(),
      deleted: post.deletedAt !== null,
      classifications: (await listClassificationsForPost(db, id)).map(classificationView),
    });
  });
  return app;
}
