#!/usr/bin/env node
// Validates labelled-corpus JSONL files against the taxonomy contract (../shared/docs/taxonomy.md).
// Usage: node scripts/corpus-check.mjs file.jsonl [...]   — prints errors with line numbers, exits 1 on any.
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';

const LABELS = JSON.parse(readFileSync(new URL('../src/domain/labels.json', import.meta.url), 'utf8'));
const { categories: CATEGORIES, lodged: LODGED, perspectives: PERSPECTIVE, severities: SEVERITY, units: UNITS } = LABELS;

const REGISTERS = ['toot', 'bluesky', 'reddit_post', 'reddit_comment', 'reply', 'forum', 'news'];
const KEYS = ['id', 'lang', 'register', 'text', 'complaint', 'police_related', 'grievance', 'category', 'lodged', 'perspective', 'severity', 'unit'];

function check(row) {
  const errs = [];
  for (const k of KEYS) if (!(k in row)) errs.push(`missing ${k}`);
  for (const k of Object.keys(row)) if (!KEYS.includes(k)) errs.push(`unknown key ${k}`);
  if (typeof row.id !== 'string' || !row.id) errs.push('id must be a non-empty string');
  if (!['nl', 'en'].includes(row.lang)) errs.push('lang must be nl or en');
  if (!REGISTERS.includes(row.register)) errs.push(`register must be one of ${REGISTERS.join(',')}`);
  if (typeof row.text !== 'string' || row.text.trim().length < 8) errs.push('text too short');
  for (const k of ['complaint', 'police_related', 'grievance']) if (typeof row[k] !== 'boolean') errs.push(`${k} must be boolean`);
  if (!UNITS.includes(row.unit)) errs.push('bad unit');
  if (row.grievance === true) {
    if (!row.complaint || !row.police_related) errs.push('grievance implies complaint and police_related');
    if (!CATEGORIES.includes(row.category)) errs.push('bad category');
    if (!LODGED.includes(row.lodged)) errs.push('bad lodged');
    if (!PERSPECTIVE.includes(row.perspective)) errs.push('bad perspective');
    if (!SEVERITY.includes(row.severity)) errs.push('bad severity');
  } else {
    for (const k of ['category', 'lodged', 'perspective', 'severity']) if (row[k] !== null) errs.push(`${k} must be null when grievance is false`);
  }
  return errs;
}

let bad = 0, total = 0;
const ids = new Map();
const texts = new Map();
for (const file of process.argv.slice(2)) {
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    total++;
    const where = `${file}:${i + 1}`;
    let row;
    try { row = JSON.parse(line); } catch (e) { bad++; console.log(`${where}: invalid JSON (${e.message})`); return; }
    const errs = check(row);
    if (ids.has(row.id)) errs.push(`duplicate id (also ${ids.get(row.id)})`); else ids.set(row.id, where);
    const norm = String(row.text).toLowerCase().replace(/\s+/g, ' ').trim();
    if (texts.has(norm)) errs.push(`duplicate text (also ${texts.get(norm)})`); else texts.set(norm, where);
    if (errs.length) { bad++; console.log(`${where}: ${errs.join('; ')}`); }
  });
}
console.log(`${total} rows, ${bad} with errors`);
process.exit(bad ? 1 : 0);
