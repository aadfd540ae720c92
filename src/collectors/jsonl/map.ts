import { z } from 'zod';
import type { CollectedPost } from '../../domain/types.js';
import { MalformedItemError, parseItem } from '../types.js';

/** One line of a JSONL import: the neutral post format other tools and archives can produce. */
export const importedPostSchema = z.object({
  id: z.union([z.string().min(1), z.number().int()]).transform(String),
  text: z.string().min(1),
  author: z.string().min(1).optional().nullable(),
  url: z.url().optional().nullable(),
  published_at: z.iso.datetime({ offset: true }).optional().nullable(),
  lang: z.string().min(2).max(8).optional().nullable(),
});

export interface JsonlLine { line: number; file: string; raw: string }

export function mapJsonlLine(item: JsonlLine): CollectedPost {
  let value: unknown;
  try {
    value = JSON.parse(item.raw);
  } catch (error) {
    throw new MalformedItemError(`invalid JSON: ${(error as Error).message}`, `${item.file}:${item.line}`);
  }
  const p = parseItem(importedPostSchema, value, `${item.file}:${item.line}`, 'line');
  return {
    externalId: p.id,
    text: p.text,
    authorHandle: p.author ?? null,
    url: p.url ?? null,
    lang: p.lang ?? null,
    publishedAt: p.published_at ? new Date(p.published_at) : null,
  };
}
