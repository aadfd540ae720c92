import { z } from 'zod';
import type { CollectedPost } from '../domain/types.js';

/**
 * Cheap checks before a post is stored or shown to the model: the language is one we classify,
 * and the text mentions the police at all. Posts that fail are not stored (data minimisation);
 * the run counts them per reason so analysts see what was left out.
 */
export const DEFAULT_LANGUAGES = ['nl', 'en'];

/** Dutch and English words for the police and their work. BOA/handhaving are deliberately absent: not police. */
export const DEFAULT_KEYWORDS = [
  'politie', 'politieagent', 'agent', 'agente', 'agenten', 'wijkagent', 'hoofdagent', 'wout', 'wouten', 'juten', 'pliesie',
  'smeris', 'smerissen', 'kit', 'de blauwe', 'blauw op straat', 'diender', 'bromsnor', 'politiebureau', 'bureau',
  'aangifte', 'proces-verbaal', 'pv', 'staandehouding', 'staande gehouden', 'aangehouden', 'arrestatie', 'gearresteerd',
  'gefouilleerd', 'fouilleren', 'mobiele eenheid', 'ME', 'etnisch profileren', 'klachtencommissie', '112', '0900-8844', '09008844',
  'police', 'policeman', 'policewoman', 'officer', 'officers', 'cop', 'cops', 'arrested', 'police report',
];

export const prefilterSchema = z.object({
  enabled: z.boolean().optional(),
  languages: z.array(z.string().min(2).max(8)).min(1).optional(),
  keywords: z.array(z.string().min(1)).min(1).optional(),
}).default({});
export type PrefilterConfig = z.infer<typeof prefilterSchema>;

export type PrefilterVerdict = { keep: true } | { keep: false; reason: 'language' | 'no_keyword' };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createPrefilter(config: PrefilterConfig = {}): (post: CollectedPost) => PrefilterVerdict {
  const languages = new Set((config.languages ?? DEFAULT_LANGUAGES).map((l) => l.toLowerCase()));
  const keywords = config.keywords ?? DEFAULT_KEYWORDS;
  // One alternation, word-bounded (Unicode-aware), case-insensitive except for all-caps abbreviations like ME.
  const lower = keywords.filter((k) => k !== k.toUpperCase() || /\d/.test(k));
  const upper = keywords.filter((k) => !lower.includes(k));
  const bounded = (words: string[], flags: string) =>
    words.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escape).join('|')})(?![\\p{L}\\p{N}])`, flags) : null;
  const insensitive = bounded(lower, 'iu');
  const exact = bounded(upper, 'u');
  return (post) => {
    const lang = post.lang?.toLowerCase().slice(0, 2);
    if (lang && !languages.has(lang)) return { keep: false, reason: 'language' };
    const text = post.text;
    if (insensitive?.test(text) || exact?.test(text)) return { keep: true };
    return { keep: false, reason: 'no_keyword' };
  };
}
