import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELD_NAMES } from '../classifier/fields.js';
import { CATEGORIES, LODGED, PERSPECTIVES, SEVERITIES, UNITS } from './taxonomy.js';

describe('labels.json (read by the Python build and the scripts)', () => {
  it('holds the very label lists of the TypeScript taxonomy and the head fields in their order', () => {
    const labels = JSON.parse(readFileSync(new URL('./labels.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    expect(labels).toMatchObject({
      categories: [...CATEGORIES], lodged: [...LODGED], perspectives: [...PERSPECTIVES], severities: [...SEVERITIES], units: [...UNITS],
      headFields: [...FIELD_NAMES],
    });
  });
});
