import { CATEGORIES, LODGED, PERSPECTIVES, SEVERITIES } from '../domain/taxonomy.js';
import type { Classification } from '../domain/types.js';
import type { LabelledPost } from './labelled.js';

/** The taxonomy fields that get a learned head (unit comes from the place matcher, not a head). */
export const FIELD_NAMES = ['complaint', 'police_related', 'grievance', 'category', 'lodged', 'perspective', 'severity'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/** The per-field properties of a Classification (camelCase there, snake_case in the taxonomy). */
export type ClassificationKey = keyof Omit<Classification, 'distributions' | 'unit'>;

export interface FieldSpec {
  name: FieldName;
  key: ClassificationKey;
  /** Class labels in head order. Binary fields are two-class heads with labels ['false', 'true']. */
  labels: readonly string[];
  binary: boolean;
  /** 'all': every post; 'grievance': only posts labelled grievance = true (null otherwise). */
  scope: 'all' | 'grievance';
}

const BINARY = ['false', 'true'] as const;

export const FIELDS: readonly FieldSpec[] = [
  { name: 'complaint', key: 'complaint', labels: BINARY, binary: true, scope: 'all' },
  { name: 'police_related', key: 'policeRelated', labels: BINARY, binary: true, scope: 'all' },
  { name: 'grievance', key: 'grievance', labels: BINARY, binary: true, scope: 'all' },
  { name: 'category', key: 'category', labels: CATEGORIES, binary: false, scope: 'grievance' },
  { name: 'lodged', key: 'lodged', labels: LODGED, binary: false, scope: 'grievance' },
  { name: 'perspective', key: 'perspective', labels: PERSPECTIVES, binary: false, scope: 'grievance' },
  { name: 'severity', key: 'severity', labels: SEVERITIES, binary: false, scope: 'grievance' },
];

/**
 * The class index of a post for a field, or undefined when the post does not count for that head:
 * the label is unknown, or the field is grievance-scoped and the post is not a grievance.
 */
export function labelIndex(post: LabelledPost, field: FieldSpec): number | undefined {
  if (field.scope === 'grievance' && post.grievance !== true) return undefined;
  const value = post[field.name];
  if (value === undefined || value === null) return undefined;
  const index = field.labels.indexOf(String(value));
  return index < 0 ? undefined : index;
}
