import { DEFAULT_CHAR_NGRAMS, scanTerms } from './terms.js';
import type { TermKind, TermSink } from './terms.js';

/**
 * Finds a vocabulary's terms in a text without building a string per term: every occurrence is
 * hashed as it is scanned (two independent 32-bit hashes over the kind and the code units) and
 * looked up in an open-addressing table of the vocabulary's hash pairs. An unknown term is taken
 * for a known one only if both hashes collide, about |V| / 2^64 per lookup (never, in practice);
 * two vocabulary terms with the same pair are refused when the index is built.
 */
export interface TermIndex {
  /** Calls `visit` with the vocabulary index of every term occurrence in the text that is in the vocabulary. */
  forEachIndex(text: string, visit: (index: number) => void): void;
}

const SEED_A = 0x811c9dc5;
const SEED_B = 0x9747b28c;

const stepA = (h: number, unit: number) => Math.imul(h ^ unit, 0x01000193);
function stepB(h: number, unit: number): number {
  const k = Math.imul(unit, 0xcc9e2d51);
  const x = Math.imul(h ^ ((k << 15) | (k >>> 17)), 0x1b873593);
  return (x << 13) | (x >>> 19);
}
const kindUnit = (kind: TermKind) => kind.charCodeAt(0);

/**
 * Slot layout: [hashA, vocabulary index + 1]; 0 in the second place marks an empty slot. hashB sits
 * apart, by vocabulary index, and is read only on a hashA match: 8-byte slots keep the table small
 * enough to stay mostly in cache between encoder passes.
 */
const STRIDE = 2;

export function createTermIndex(terms: readonly string[], charNgrams: readonly number[] = DEFAULT_CHAR_NGRAMS): TermIndex {
  let capacity = 1024;
  while (capacity < terms.length * 2) capacity *= 2;
  const mask = capacity - 1;
  const table = new Int32Array(capacity * STRIDE);
  const hashB = new Int32Array(terms.length);
  /** The vocabulary index of the term hashing to (a, b), or -1-slot of the empty slot where it would go. */
  const find = (a: number, b: number): number => {
    for (let slot = a & mask; ; slot = (slot + 1) & mask) {
      const at = slot * STRIDE;
      const entry = table[at + 1]!;
      if (entry === 0) return -1 - at;
      if (table[at] === a && hashB[entry - 1] === b) return entry - 1;
    }
  };
  terms.forEach((term, i) => {
    let a = stepA(SEED_A, term.charCodeAt(0));
    let b = stepB(SEED_B, term.charCodeAt(0));
    for (let j = 2; j < term.length; j++) {
      a = stepA(a, term.charCodeAt(j));
      b = stepB(b, term.charCodeAt(j));
    }
    const found = find(a, b);
    if (found >= 0) throw new Error(`lexical vocabulary: terms ${JSON.stringify(terms[found])} and ${JSON.stringify(term)} hash alike`);
    const at = -1 - found;
    table[at] = a;
    table[at + 1] = i + 1;
    hashB[i] = b;
  });

  return {
    forEachIndex(text, visit) {
      let a = 0;
      let b = 0;
      const sink: TermSink = {
        begin(kind) {
          a = stepA(SEED_A, kindUnit(kind));
          b = stepB(SEED_B, kindUnit(kind));
        },
        add(source, from, to) {
          for (let j = from; j < to; j++) {
            const unit = source.charCodeAt(j);
            a = stepA(a, unit);
            b = stepB(b, unit);
          }
        },
        emit() {
          const found = find(a, b);
          if (found >= 0) visit(found);
        },
      };
      scanTerms(text, sink, charNgrams);
    },
  };
}
