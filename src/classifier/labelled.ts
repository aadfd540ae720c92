import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { CATEGORIES, LODGED, PERSPECTIVES, SEVERITIES } from '../domain/taxonomy.js';
import type { Category, Lodged, Perspective, Severity } from '../domain/taxonomy.js';

/**
 * One labelled post, in the taxonomy's machine names (../shared/docs/taxonomy.md). A field left
 * undefined is unknown (a review that only confirmed or dismissed a signal says nothing about
 * `complaint`, for instance) and that post is then left out of that field's head; `null` means
 * "not applicable" (grievance false).
 */
export interface LabelledPost {
  id: string;
  text: string;
  lang?: string;
  complaint?: boolean;
  police_related?: boolean;
  grievance?: boolean;
  category?: Category | null;
  lodged?: Lodged | null;
  perspective?: Perspective | null;
  severity?: Severity | null;
}

const nullableEnum = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).nullable().optional();

/** A corpus row (scripts/corpus-check.mjs format); unknown keys such as register and unit are ignored. */
export const labelledPostSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  lang: z.string().optional(),
  complaint: z.boolean().optional(),
  police_related: z.boolean().optional(),
  grievance: z.boolean().optional(),
  category: nullableEnum(CATEGORIES),
  lodged: nullableEnum(LODGED),
  perspective: nullableEnum(PERSPECTIVES),
  severity: nullableEnum(SEVERITIES),
});

/** Reads a labelled JSONL file; a malformed row is an error naming the file and line. */
export async function readLabelledJsonl(file: string): Promise<LabelledPost[]> {
  const rows: LabelledPost[] = [];
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${lineNo}: invalid JSON (${(error as Error).message})`, { cause: error });
    }
    const parsed = labelledPostSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${file}:${lineNo}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    rows.push(parsed.data as LabelledPost);
  }
  return rows;
}
