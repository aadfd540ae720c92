import type { Unit } from '../../domain/taxonomy.js';
import placesData from './places.json' with { type: 'json' };

/**
 * Which police unit does a post talk about? A pure, dependency-free matcher over places.json.
 *
 * Data (places.json). Each entry maps a name to one of the ten regional units or the national unit.
 * The regional units follow the arrondissementen of the Wet op de rechterlijke indeling (Politiewet 2012
 * art. 25 lid 2; Gelderland + Overijssel form one unit, Oost-Nederland). Kinds: municipality (all 342,
 * CBS 2023-2025), place (towns and villages that are not municipalities), district (neighbourhoods of the
 * big cities), alias (informal names, spellings, area codes, city adjectives and demonyms, `of` names the
 * canonical place), region (provinces and areas and their adjectives), unit_keyword (names of the units
 * themselves and of national-unit services such as snelwegpolitie or DLE).
 * `ambiguous: true` marks a name that is also a common word (Best, Leiden, Putten, Son, Goes, ...) or that
 * is listed under more than one unit (Bergen, Brabant, Zuid-Holland, ...).
 *
 * Matching. The text is split once into word tokens (Unicode letters and digits; apostrophes inside a
 * word are kept, so A'dam is one token and 's-Hertogenbosch is "s" + "hertogenbosch"; a trailing
 * possessive 's is dropped; accents are folded, so Fryslan matches Fryslân). Tokens are looked up in a
 * token trie built once at module load; the longest name starting at a token wins, so "Amsterdam-Noord",
 * "Amsterdam Noord" and "#AmsterdamNoord" all find the district, and "Nieuw-Amsterdam" (Drenthe) is not
 * Amsterdam. Hashtags and @-handles are also tried with spaces removed, with a leading or trailing
 * "politie"/"police"/"team"... stripped (#politieDenHaag, #PolitieBest, @politie_denbosch), and finally
 * for the longest unambiguous name they start or end with (@ziekenhuisMaastricht).
 * An ambiguous name only counts when it is capitalised (its last word starts upper-case) AND one of:
 *   - preceded by a place preposition or police word (in, uit, bij, te, naar, rond, richting, op, via, ...,
 *     politie, regio, gemeente), also across an article ("op de Dam");
 *   - followed by politie/centrum/police/cops;
 *   - "station/gemeente/centrum/... van X" (never a bare "van": Van Putten, Van Buren are surnames);
 *   - a hashtag (#Leiden, #PolitieBest);
 *   - a dateline at the start of a line ("Goes: ...", "Hoorn, vorige week ..."; with a comma not for
 *     Best/Echt/... that open sentences as words).
 * So "de beste agent", "dat kan leiden tot", "zo ede" and "he goes" match nothing; "in Best" does.
 * A name spans several words only across spaces, hyphens and apostrophes. A few phrases that contain a
 * place but do not place the post (Flikken Maastricht, "typisch Den Haag") are matched and dropped.
 *
 * Names in two units. If another name in the same text belongs to one of the candidate units, that unit
 * is chosen ("Bergen ... Alkmaar" -> noord_holland). Otherwise a region (Brabant, Brabantse, Noord-Brabant,
 * Zuid-Holland) picks neither: the answer is unit "unknown" with the place filled in and confidence 0.5,
 * because Zeeland-West-Brabant and Oost-Brabant (Den Haag and Rotterdam) are about equally likely. A town
 * or district (Bergen, Ouderkerk, Loenen, Rivierenwijk) falls back to the entry listed first in
 * places.json, the larger place, with confidence 0.5.
 *
 * Several places. Each accepted mention scores for its unit by kind (unit keyword 4, district 3, place 2.5,
 * municipality and alias 2, region 1; x0.8 for a context-gated ambiguous name or a two-unit name resolved
 * by context, x0.5 for one resolved by default). The unit with the highest total wins (ties: the stronger
 * single mention, then the earlier one); the place reported is that unit's most specific, then most
 * frequent, then first mention. A national-unit keyword (snelwegpolitie, waterpolitie, DLE, ...) wins
 * outright: the national unit works everywhere, so a place named next to it is not a rival.
 *
 * Confidence = how sure we are of the unit (not of the place):
 *   1      no place named at all -> unknown (we are sure nothing in the text points to a unit)
 *   0.95   a unit's own name (politie Midden-Nederland); 0.9 a national-unit keyword (0.7 when a regional
 *          place is named as well)
 *   0.9    a municipality, town or district; 0.85 an alias; 0.8 a region or province word
 *   0.75   an ambiguous common-word name that passed the context gate
 *   0.7    a two-unit name resolved by another place in the text; 0.5 resolved by default
 *   0.5    only a two-unit region (Brabant) -> unknown, place set
 *   When places of different units are named, the confidence above is multiplied by the winner's share
 *   of the total score (Utrecht + Amsterdam once each -> 0.9 x 0.5 = 0.45).
 */

export type PlaceKind = 'municipality' | 'place' | 'district' | 'alias' | 'region' | 'unit_keyword';

export interface PlaceEntry {
  readonly name: string;
  readonly unit: Unit;
  readonly kind: PlaceKind;
  readonly ambiguous: boolean;
  /** For aliases: the canonical place reported instead of the alias itself. */
  readonly of?: string;
  readonly note?: string;
}

export interface UnitMatch {
  unit: Unit;
  place: string | null;
  confidence: number;
}

interface PlacesFile {
  version: number;
  entries: PlaceEntry[];
}

export const PLACE_ENTRIES: readonly PlaceEntry[] = (placesData as unknown as PlacesFile).entries;

// --------------------------------------------------------------------------------------------------------
// Tokenising (shared by the index builder and the matcher, so names and text normalise the same way)

const NON_ASCII = /[^\u0020-\u007e]/;
const MARKS = /\p{M}/gu;
const CURLY = /[’‘`´]/g;

/** Normalises one already lower-cased token: apostrophes, possessive 's, accents. */
function normToken(tok: string): string {
  let t = tok;
  if (NON_ASCII.test(t)) {
    t = t.replace(CURLY, "'").normalize('NFD').replace(MARKS, '');
  }
  if (t.length > 3 && t.charCodeAt(t.length - 1) === 115 /* s */ && t.charCodeAt(t.length - 2) === 39 /* ' */) {
    t = t.slice(0, -2);
  }
  return t;
}

// Scratch buffers reused across calls (findUnit is synchronous, so this is safe).
const toks: string[] = [];
const starts: number[] = [];
const ends: number[] = [];

function isUpperAt(text: string, i: number): boolean {
  const ch = text[i];
  if (ch === undefined) return false;
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/**
 * Word characters (\p{L}, \p{M}, \p{N}) of the Basic Multilingual Plane, memoised per code unit
 * (0 = not yet known, 1 = word, 2 = not) so the hot loop needs no regex. Characters outside the BMP
 * (emoji, rare scripts) never form place names.
 */
const WORD_CHAR = new Uint8Array(0x10000);
const WORD_RE = /[\p{L}\p{M}\p{N}]/u;
for (let c = 0; c < 128; c++) WORD_CHAR[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 2;

function isWordChar(c: number): boolean {
  let v = WORD_CHAR[c]!;
  if (v === 0) {
    v = c >= 0xd800 && c <= 0xdfff ? 2 : WORD_RE.test(String.fromCharCode(c)) ? 1 : 2;
    WORD_CHAR[c] = v;
  }
  return v === 1;
}

function isApostrophe(c: number): boolean {
  return c === 39 || c === 0x2019 || c === 0x2018 || c === 96 || c === 0xb4;
}

/**
 * Splits text into the scratch buffers: runs of word characters, an apostrophe kept only between two word
 * characters (A'dam, R'dam), lower-cased and normalised by normToken. Used for names and posts alike.
 */
function tokenize(text: string): void {
  toks.length = 0;
  starts.length = 0;
  ends.length = 0;
  const lower = text.toLowerCase();
  const aligned = lower.length === text.length;
  const src = aligned ? lower : text;
  const n = src.length;
  let i = 0;
  while (i < n) {
    if (!isWordChar(src.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    i++;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (isWordChar(c)) i++;
      else if (isApostrophe(c) && i + 1 < n && isWordChar(src.charCodeAt(i + 1))) i += 2;
      else break;
    }
    const raw = src.slice(start, i);
    toks.push(normToken(aligned ? raw : raw.toLowerCase()));
    starts.push(start);
    ends.push(i);
  }
}

/** Tokens of a name as they will be looked up (used to build the index). */
export function nameTokens(name: string): string[] {
  tokenize(name);
  return toks.slice();
}

// --------------------------------------------------------------------------------------------------------
// Index, built once at module load

const KIND_WEIGHT: Record<PlaceKind, number> = {
  unit_keyword: 4, district: 3, place: 2.5, municipality: 2, alias: 2, region: 1,
};
const KIND_CONFIDENCE: Record<PlaceKind, number> = {
  unit_keyword: 0.95, district: 0.9, place: 0.9, municipality: 0.9, alias: 0.85, region: 0.8,
};
const NATIONAL_CONFIDENCE = 0.9;
const NATIONAL_WITH_PLACE_CONFIDENCE = 0.7;
const GATED_CONFIDENCE = 0.75;
const CONTEXT_RESOLVED_CONFIDENCE = 0.7;
const DEFAULT_RESOLVED_CONFIDENCE = 0.5;
const UNRESOLVED_REGION_CONFIDENCE = 0.5;
const GATED_FACTOR = 0.8;
const DEFAULT_FACTOR = 0.5;

/** All entries that share one normalised name. More than one unit = a two-unit name. */
interface Group {
  readonly entries: readonly PlaceEntry[]; // file order: the first is the default for two-unit names
  readonly ambiguous: boolean;
  readonly multiUnit: boolean;
  readonly kind: PlaceKind; // of the first entry
}

interface TrieNode {
  next: Map<string, TrieNode> | null;
  group: Group | null;
}

/**
 * Phrases that contain a place name but do not place the post: TV series and "Den Haag" meaning the
 * government. Matched like names (longest wins), then dropped.
 */
const NOT_PLACES = ['Flikken Maastricht', 'Flikken Rotterdam', 'politiek Den Haag', 'typisch Den Haag', 'Den Haag beslist'];
const BLOCKED: Group = { entries: [], ambiguous: false, multiUnit: false, kind: 'alias' };

/** Words before an ambiguous name that make it a place ("in Best", "politie Ede"). */
const PRE_CONTEXT = new Set([
  'in', 'uit', 'bij', 'te', 'naar', 'rond', 'rondom', 'richting', 'nabij', 'vanuit', 'via', 'op', 'omgeving',
  'regio', 'gemeente', 'politie', 'politiebureau', 'bureau', 'wijkagent', 'wijkagenten', 'basisteam', 'eenheid',
  'handhaving', 'from', 'near', 'around', 'outside', 'to', 'towards', 'on', 'at',
]);
/** "station van Ede", "gemeente van Best": 'van' counts only after one of these (never "Jan van Putten"). */
const VAN_HEADS = new Set([
  'station', 'centrum', 'gemeente', 'politie', 'regio', 'bureau', 'omgeving', 'buurt', 'wijk', 'stad', 'dorp',
  'burgemeester', 'markt', 'binnenstad', 'politiebureau',
]);
const ARTICLES = new Set(['de', 'het', 't', 'the']);
/** A dateline with a comma ("Hoorn, vorige week ...") is not trusted for names that open sentences as words. */
const NO_COMMA_DATELINE = new Set(['best', 'echt', 'heer', 'leek', 'son', 'made']);
/** Words after an ambiguous name that make it a place ("Leiden centrum", "Goes politie"). */
const POST_CONTEXT = new Set(['politie', 'centrum', 'politiebureau', 'station', 'police', 'cops']);
/** Stripped from hashtags and handles: #politieUtrecht, #AmsterdamPolitie, @PolitieEde. */
const TAG_PREFIXES = ['politie', 'police', 'basisteam', 'team', 'wijkagenten', 'wijkagent', 'regio', 'gemeente', 'eenheid'];
const TAG_SUFFIXES = ['politie', 'police', 'nieuws', 'news', 'centrum', 'stad'];
/** Shortest name looked for inside a longer hashtag or handle. */
const MIN_EMBEDDED = 5;
/** Prefixes that count as police context for an ambiguous name inside a hashtag. */
const TAG_CONTEXT_PREFIXES = new Set(['politie', 'police', 'basisteam', 'team', 'wijkagenten', 'wijkagent', 'eenheid']);


/** The trie node for a token sequence, created along the way where missing. */
function trieNodeFor(root: Map<string, TrieNode>, tokens: string[]): TrieNode {
  let level = root;
  let node: TrieNode | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    node = level.get(tok);
    if (!node) level.set(tok, (node = { next: null, group: null }));
    if (i < tokens.length - 1) level = node.next ??= new Map();
  }
  return node!;
}

function buildIndex(entries: readonly PlaceEntry[]): { root: Map<string, TrieNode>; joined: Map<string, Group> } {
  const byKey = new Map<string, { tokens: string[]; entries: PlaceEntry[] }>();
  for (const e of entries) {
    const tokens = nameTokens(e.name);
    if (tokens.length === 0) continue;
    const key = tokens.join(' ');
    let slot = byKey.get(key);
    if (!slot) byKey.set(key, (slot = { tokens, entries: [] }));
    // one entry per unit and normalised name: the first one listed wins
    if (!slot.entries.some((x) => x.unit === e.unit)) slot.entries.push(e);
  }
  const root = new Map<string, TrieNode>();
  const joined = new Map<string, Group>();
  for (const { tokens, entries: es } of byKey.values()) {
    const first = es[0]!;
    const group: Group = {
      entries: es,
      ambiguous: es.some((x) => x.ambiguous),
      multiUnit: es.length > 1,
      kind: first.kind,
    };
    const node = trieNodeFor(root, tokens);
    node.group = group;
    if (tokens.length > 1) {
      const j = tokens.join('').replace(/'/g, '');
      if (!joined.has(j)) joined.set(j, group);
    }
  }
  for (const phrase of NOT_PLACES) {
    const tokens = nameTokens(phrase);
    trieNodeFor(root, tokens).group = BLOCKED;
  }
  // single-token names reachable from a hashtag body too ("#a'dam" is already a token; "#adam" is the alias)
  for (const [tok, node] of root) if (node.group && !joined.has(tok)) joined.set(tok, node.group);
  return { root, joined };
}

const INDEX = buildIndex(PLACE_ENTRIES);

// --------------------------------------------------------------------------------------------------------
// Matching

interface Mention {
  group: Group;
  pos: number; // token index of the first token
  gated: boolean; // an ambiguous name that passed the context gate
}

/**
 * Can a name continue from token j to token j+1? Only across spaces, hyphens and apostrophes on one line,
 * so "Amsterdam. Noord-Holland ..." is not read as Amsterdam-Noord.
 */
function joins(text: string, j: number): boolean {
  for (let k = ends[j]!, e = starts[j + 1]!; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 45 /* - */ && c !== 39 /* ' */ && c !== 0x2019 && c !== 0x2013 && c !== 0xa0 && c !== 9) return false;
  }
  return true;
}

/** Looks up a hashtag/handle body; returns the group and whether a police prefix gave context. */
function lookupTag(body: string): { group: Group; offset: number; context: boolean } | null {
  const direct = INDEX.joined.get(body);
  if (direct) return { group: direct, offset: 0, context: false };
  for (const p of TAG_PREFIXES) {
    if (body.length > p.length + 1 && body.startsWith(p)) {
      const rest = body.slice(p.length);
      const g = INDEX.joined.get(rest) ?? lookupSuffix(rest);
      if (g) return { group: g, offset: p.length, context: TAG_CONTEXT_PREFIXES.has(p) };
    }
  }
  const g = lookupSuffix(body);
  if (g) return { group: g, offset: 0, context: false };
  // Last resort: the longest known name that ends or starts the tag (#ikwoonindenhaag, @ziekenhuisMaastricht,
  // #rotterdamzuidnu). Only unambiguous names: an embedded common word proves nothing.
  for (let k = 1; k <= body.length - MIN_EMBEDDED; k++) {
    const hit = INDEX.joined.get(body.slice(k));
    if (hit && !hit.ambiguous) return { group: hit, offset: k, context: false };
  }
  for (let k = body.length - 1; k >= MIN_EMBEDDED; k--) {
    const hit = INDEX.joined.get(body.slice(0, k));
    if (hit && !hit.ambiguous) return { group: hit, offset: 0, context: false };
  }
  return null;
}

function lookupSuffix(body: string): Group | undefined {
  for (const s of TAG_SUFFIXES) {
    if (body.length > s.length + 1 && body.endsWith(s)) {
      const g = INDEX.joined.get(body.slice(0, -s.length));
      if (g) return g;
    }
  }
  return undefined;
}

function gateOk(text: string, first: number, last: number): boolean {
  if (!isUpperAt(text, starts[last]!)) return false;
  const at = starts[first]!;
  if (at > 0 && text.charCodeAt(at - 1) === 35 /* # */) return true; // a capitalised hashtag is a place tag
  const prev = first > 0 ? toks[first - 1]! : '';
  if (PRE_CONTEXT.has(prev)) return true;
  if (first > 1) {
    const prev2 = toks[first - 2]!;
    if (prev === 'van' && VAN_HEADS.has(prev2)) return true;
    if (ARTICLES.has(prev) && PRE_CONTEXT.has(prev2)) return true; // "op de Dam", "on the Dam"
  }
  const next = last + 1 < toks.length ? toks[last + 1]! : '';
  if (POST_CONTEXT.has(next)) return true;
  return isDateline(text, first, last);
}

/** "Goes: ..." or "Hoorn, vorige week ..." at the start of the text or of a line. */
function isDateline(text: string, first: number, last: number): boolean {
  for (let k = starts[first]! - 1; k >= 0; k--) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) break;
    if (c !== 32 && c !== 9 && c !== 35 /* # */ && c !== 64 /* @ */ && c !== 45 /* - */ && c !== 42 /* * */) return false;
  }
  let k = ends[last]!;
  while (k < text.length && text.charCodeAt(k) === 32) k++;
  const c = text.charCodeAt(k);
  if (c === 58 /* : */) return true;
  return c === 44 /* , */ && !(first === last && NO_COMMA_DATELINE.has(toks[first]!));
}

function collectMentions(text: string, out: Mention[]): void {
  const n = toks.length;
  const cands: number[] = []; // token index of the last token of each name found along the trie path
  const candGroups: Group[] = [];
  let i = 0;
  while (i < n) {
    let node = INDEX.root.get(toks[i]!);
    let matchedTo = -1;
    if (node) {
      cands.length = 0;
      candGroups.length = 0;
      let j = i;
      for (;;) {
        if (node.group) {
          cands.push(j);
          candGroups.push(node.group);
        }
        if (!node.next || j + 1 >= n) break;
        const nx: TrieNode | undefined = node.next.get(toks[j + 1]!);
        if (!nx || !joins(text, j)) break;
        node = nx;
        j++;
      }
      // longest first; an ambiguous name that fails the gate falls back to a shorter one
      for (let c = cands.length - 1; c >= 0; c--) {
        const g = candGroups[c]!;
        const last = cands[c]!;
        if (g.ambiguous && !gateOk(text, i, last)) continue;
        if (g !== BLOCKED) out.push({ group: g, pos: i, gated: g.ambiguous });
        matchedTo = last;
        break;
      }
    }
    if (matchedTo < 0) {
      const start = starts[i]!;
      const before = start > 0 ? text.charCodeAt(start - 1) : 0;
      if (before === 35 /* # */ || before === 64 /* @ */ || before === 95 /* _ (in a handle) */) {
        const hit = lookupTag(toks[i]!);
        if (hit) {
          const g = hit.group;
          const ok = !g.ambiguous || (isUpperAt(text, start + hit.offset) && (hit.context || gateOk(text, i, i)));
          if (ok) {
            out.push({ group: g, pos: i, gated: g.ambiguous });
            matchedTo = i;
          }
        }
      }
    }
    i = matchedTo >= 0 ? matchedTo + 1 : i + 1;
  }
}

interface Scored {
  entry: PlaceEntry;
  weight: number;
  confidence: number;
  pos: number;
}

const UNKNOWN: UnitMatch = Object.freeze({ unit: 'unknown', place: null, confidence: 1 }) as UnitMatch;

function placeOf(e: PlaceEntry): string {
  return e.of ?? e.name;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function findUnit(text: string): UnitMatch {
  if (!text) return { ...UNKNOWN };
  tokenize(text);
  if (toks.length === 0) return { ...UNKNOWN };
  const mentions: Mention[] = [];
  collectMentions(text, mentions);
  if (mentions.length === 0) return { ...UNKNOWN };

  // 1. The national unit wins outright; a regional place named next to it leaves some doubt (the post may
  //    be about the local bureau that sent the writer to, say, the waterpolitie).
  for (const m of mentions) {
    const e = m.group.entries.find((x) => x.unit === 'landelijke_eenheid');
    if (e) {
      const regional = mentions.some((o) => !o.group.entries.some((x) => x.unit === 'landelijke_eenheid'));
      return { unit: 'landelijke_eenheid', place: placeOf(e), confidence: regional ? NATIONAL_WITH_PLACE_CONFIDENCE : NATIONAL_CONFIDENCE };
    }
  }

  // 2. Single-unit mentions score directly.
  const scored: Scored[] = [];
  const evidence = new Map<Unit, number>();
  for (const m of mentions) {
    if (m.group.multiUnit) continue;
    const e = m.group.entries[0]!;
    const weight = KIND_WEIGHT[e.kind] * (m.gated ? GATED_FACTOR : 1);
    const confidence = m.gated ? Math.min(KIND_CONFIDENCE[e.kind], GATED_CONFIDENCE) : KIND_CONFIDENCE[e.kind];
    scored.push({ entry: e, weight, confidence, pos: m.pos });
    evidence.set(e.unit, (evidence.get(e.unit) ?? 0) + weight);
  }

  // 3. Two-unit names: resolved by the other evidence, else by default (towns) or not at all (regions).
  let unresolved: PlaceEntry | null = null;
  for (const m of mentions) {
    if (!m.group.multiUnit) continue;
    let best: PlaceEntry | null = null;
    let bestScore = 0;
    for (const e of m.group.entries) {
      const s = evidence.get(e.unit) ?? 0;
      if (s > bestScore) {
        best = e;
        bestScore = s;
      }
    }
    if (best) {
      scored.push({ entry: best, weight: KIND_WEIGHT[best.kind] * GATED_FACTOR, confidence: CONTEXT_RESOLVED_CONFIDENCE, pos: m.pos });
    } else if (m.group.kind === 'region') {
      unresolved ??= m.group.entries[0]!;
    } else {
      const e = m.group.entries[0]!;
      scored.push({ entry: e, weight: KIND_WEIGHT[e.kind] * DEFAULT_FACTOR, confidence: DEFAULT_RESOLVED_CONFIDENCE, pos: m.pos });
    }
  }
  if (scored.length === 0) {
    return unresolved ? { unit: 'unknown', place: placeOf(unresolved), confidence: UNRESOLVED_REGION_CONFIDENCE } : { ...UNKNOWN };
  }

  // 4. Totals per unit; pick the winner.
  const totals = new Map<Unit, { total: number; top: number; first: number }>();
  let sum = 0;
  for (const s of scored) {
    sum += s.weight;
    const t = totals.get(s.entry.unit);
    if (!t) totals.set(s.entry.unit, { total: s.weight, top: s.weight, first: s.pos });
    else {
      t.total += s.weight;
      if (s.weight > t.top) t.top = s.weight;
      if (s.pos < t.first) t.first = s.pos;
    }
  }
  let winner: Unit = 'unknown';
  let w: { total: number; top: number; first: number } | null = null;
  for (const [unit, t] of totals) {
    if (
      !w ||
      t.total > w.total + 1e-9 ||
      (Math.abs(t.total - w.total) <= 1e-9 && (t.top > w.top || (t.top === w.top && t.first < w.first)))
    ) {
      winner = unit;
      w = t;
    }
  }

  // 5. The place: most specific, then most mentioned, then first; confidence from the best mention.
  const counts = new Map<string, number>();
  for (const s of scored) if (s.entry.unit === winner) counts.set(placeOf(s.entry), (counts.get(placeOf(s.entry)) ?? 0) + 1);
  let pick: Scored | null = null;
  let conf = 0;
  for (const s of scored) {
    if (s.entry.unit !== winner) continue;
    if (s.confidence > conf) conf = s.confidence;
    if (
      !pick ||
      s.weight > pick.weight ||
      (s.weight === pick.weight &&
        ((counts.get(placeOf(s.entry)) ?? 0) > (counts.get(placeOf(pick.entry)) ?? 0) ||
          ((counts.get(placeOf(s.entry)) ?? 0) === (counts.get(placeOf(pick.entry)) ?? 0) && s.pos < pick.pos)))
    ) {
      pick = s;
    }
  }
  const share = w!.total / sum;
  return { unit: winner, place: placeOf(pick!.entry), confidence: round2(conf * share) };
}
