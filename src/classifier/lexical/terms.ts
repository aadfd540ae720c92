/**
 * The lexical terms of a post: lower-cased words and word bigrams (kind 'w') and character n-grams
 * over the whitespace-collapsed text padded with one space each side (kind 'c'). Character n-grams
 * catch spelling variants, slang and typos ('pliesie', 'juten', 'agenten') that a small encoder's
 * vocabulary splits apart. Characters are code points, so an emoji is one character.
 *
 * The scan hands each term to a sink piece by piece (slices of the text) instead of as a string, so
 * a sink that only hashes terms allocates nothing per term; `lexicalTerms` builds the strings.
 */
const WORD = /[\p{L}\p{N}_]+/gu;
/**
 * Character n-gram sizes unless a lexical model names its own. 4-grams alone scored on dev within
 * 0.004 of 3+4+5-grams (and 3+5) with 40% of the terms per post, which keeps `npm run classify` near
 * raw onnxruntime speed.
 */
export const DEFAULT_CHAR_NGRAMS: readonly number[] = [4];

export type TermKind = 'w' | 'c';

export interface TermSink {
  /** A new term of this kind starts. */
  begin(kind: TermKind): void;
  /** The term continues with source[from, to). */
  add(source: string, from: number, to: number): void;
  /** The term so far is one occurrence; it may continue (the n-grams of a position grow 3 → 5). */
  emit(): void;
}

/** Scans a text's terms; `charNgrams` are the character n-gram sizes, ascending. */
export function scanTerms(text: string, sink: TermSink, charNgrams: readonly number[] = DEFAULT_CHAR_NGRAMS): void {
  const lower = text.toLowerCase();
  const words = Array.from(lower.matchAll(WORD), (m) => [m.index, m.index + m[0].length] as const);
  for (const [from, to] of words) {
    sink.begin('w');
    sink.add(lower, from, to);
    sink.emit();
  }
  for (let i = 0; i + 1 < words.length; i++) {
    sink.begin('w');
    sink.add(lower, words[i]![0], words[i]![1]);
    sink.add(' ', 0, 1);
    sink.add(lower, words[i + 1]![0], words[i + 1]![1]);
    sink.emit();
  }
  const padded = ` ${lower.replace(/\s+/gu, ' ').trim()} `;
  // Code-unit offsets of each code point, so a slice never splits a surrogate pair.
  const starts: number[] = [];
  for (let i = 0; i < padded.length; i++) {
    const unit = padded.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff || i === 0) starts.push(i);
  }
  starts.push(padded.length);
  const chars = starts.length - 1;
  const min = charNgrams[0];
  if (min === undefined) return;
  const max = charNgrams[charNgrams.length - 1]!;
  for (let i = 0; i + min <= chars; i++) {
    sink.begin('c');
    sink.add(padded, starts[i]!, starts[i + min]!);
    sink.emit();
    for (let n = min + 1; n <= max && i + n <= chars; n++) {
      sink.add(padded, starts[i + n - 1]!, starts[i + n]!);
      if (charNgrams.includes(n)) sink.emit();
    }
  }
}

/** Every term occurrence as a string, its kind as a prefix (`w:agent`, `c:age`) so a word and an equal n-gram stay apart. */
export function lexicalTerms(text: string, charNgrams: readonly number[] = DEFAULT_CHAR_NGRAMS): string[] {
  const terms: string[] = [];
  let current = '';
  scanTerms(text, {
    begin: (kind) => { current = `${kind}:`; },
    add: (source, from, to) => { current += source.slice(from, to); },
    emit: () => { terms.push(current); },
  }, charNgrams);
  return terms;
}
