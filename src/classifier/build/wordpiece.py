"""WordPiece tokenizer: a vocabulary learner and an encoder that reproduce, in Python, what
Transformers.js 2.17.2 does with the tokenizer.json written here (BertNormalizer, BertPreTokenizer,
WordPiece, TemplateProcessing [CLS] A [SEP], truncation by cutting the tail at model_max_length).

Normalisation choice: lowercase AND strip accents (BertNormalizer lowercase=true, strip_accents=true).
Transformers.js strips accents as NFD + removal of U+0300..U+036F, so 'één', 'e\u0301e\u0301n' and
'een' all become 'een', 'ruïne' -> 'ruine', 'café' -> 'cafe': Dutch diaeresis/acute marks carry
little meaning in social-media text and are typed inconsistently, so folding them makes the same
word always map to the same pieces whatever the keyboard or Unicode form (NFC/NFD) of the input.

The Python side mirrors the JavaScript code line by line (see tokenizers.js in
@xenova/transformers 2.17.2: BertNormalizer._clean_text/_tokenize_chinese_chars/normalize,
BertPreTokenizer, WordPieceTokenizer.encode, PreTrainedTokenizer._encode_text/_call). The build
verifies the equality on several hundred sentences with check-tokenizer.ts.
"""
from __future__ import annotations

import heapq
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from typing import Iterable

PAD, UNK, CLS, SEP, MASK = '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'
SPECIALS = [PAD, UNK, CLS, SEP, MASK]
PREFIX = '##'
MAX_CHARS_PER_WORD = 100

# JavaScript's \s (ECMAScript WhiteSpace + LineTerminator), used by /^\s$/ and String.prototype.trim.
JS_WHITESPACE = frozenset('\t\n\u000b\u000c\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007'
                          '\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff')


def _is_punct_cp(cp: int) -> bool:
    # PUNCTUATION_REGEX = '\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E'
    return (0x21 <= cp <= 0x2F or 0x3A <= cp <= 0x40 or 0x5B <= cp <= 0x60 or 0x7B <= cp <= 0x7E
            or unicodedata.category(chr(cp)).startswith('P'))


def _char_class(pred) -> str:
    """A regex character class body for all code points satisfying pred (ranges, escaped)."""
    out, start, prev = [], None, None
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if pred(cp):
            if start is None:
                start = prev = cp
            elif cp == prev + 1:
                prev = cp
            else:
                out.append((start, prev))
                start = prev = cp
    if start is not None:
        out.append((start, prev))
    esc = lambda c: '\\U%08x' % c  # noqa: E731
    return ''.join(esc(a) if a == b else f'{esc(a)}-{esc(b)}' for a, b in out)


_PUNCT = _char_class(_is_punct_cp)
_WS = ''.join('\\U%08x' % ord(c) for c in sorted(JS_WHITESPACE))
# BertPreTokenizer: new RegExp(`[^\s${PUNCTUATION_REGEX}]+|[${PUNCTUATION_REGEX}]`, 'gu')
_PRETOKENIZE = re.compile(f'[^{_WS}{_PUNCT}]+|[{_PUNCT}]')
_ACCENTS = {cp: None for cp in range(0x300, 0x370)}
_ADDED = re.compile('(' + '|'.join(re.escape(t) for t in SPECIALS) + ')')


def _clean_char(ch: str) -> str:
    """_clean_text + _tokenize_chinese_chars for one code point (both act per character)."""
    cp = ord(ch)
    if cp == 0 or cp == 0xFFFD:
        return ''
    if ch not in '\t\n\r' and unicodedata.category(ch) in ('Cc', 'Cf', 'Co', 'Cs'):
        return ''
    if ch in JS_WHITESPACE:
        return ' '
    # JS iterates UTF-16 code units here, so only the BMP CJK blocks can ever match.
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF:
        return f' {ch} '
    return ch


class _CleanMap(dict):
    def __missing__(self, ch):
        v = self[ch] = _clean_char(ch)
        return v


_clean = _CleanMap()


def normalize(text: str) -> str:
    """BertNormalizer(clean_text, handle_chinese_chars, lowercase, strip_accents) as in Transformers.js."""
    text = ''.join(map(_clean.__getitem__, text))
    text = text.lower()
    return unicodedata.normalize('NFD', text).translate(_ACCENTS)


def pre_tokenize(normalized: str) -> list[str]:
    return _PRETOKENIZE.findall(normalized.strip(''.join(JS_WHITESPACE)))


def words(text: str) -> list[str]:
    """Normalised, pre-tokenised words of a raw text (special-token strings are not split out here)."""
    return pre_tokenize(normalize(text))


class WordPiece:
    def __init__(self, vocab: list[str]):
        self.vocab = vocab
        self.ids = {t: i for i, t in enumerate(vocab)}
        self.unk_id = self.ids[UNK]
        self.cls_id, self.sep_id = self.ids[CLS], self.ids[SEP]
        self.pad_id, self.mask_id = self.ids[PAD], self.ids[MASK]
        self._cache: dict[str, list[int]] = {}

    def word_ids(self, word: str) -> list[int]:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        ids: list[int] = []
        if len(word) > MAX_CHARS_PER_WORD:
            ids = [self.unk_id]
        else:
            start = 0
            while start < len(word):
                end = len(word)
                cur = None
                while start < end:
                    sub = word[start:end]
                    if start > 0:
                        sub = PREFIX + sub
                    cur = self.ids.get(sub)
                    if cur is not None:
                        break
                    end -= 1
                if cur is None:
                    ids = [self.unk_id]
                    break
                ids.append(cur)
                start = end
        if len(self._cache) < 2_000_000:
            self._cache[word] = ids
        return ids

    def encode_text(self, text: str) -> list[int]:
        """_encode_text: split out literal special tokens, normalise, pre-tokenise, WordPiece."""
        out: list[int] = []
        for section in _ADDED.split(text):
            if not section:
                continue
            if section in self.ids and section in SPECIALS:
                out.append(self.ids[section])
                continue
            for w in words(section):
                out.extend(self.word_ids(w))
        return out

    def encode(self, text: str, max_length: int | None = None) -> list[int]:
        """What Transformers.js feeds the model for one text: [CLS] pieces [SEP], then truncation
        keeps the first max_length ids (the [SEP] is cut off for over-long texts, as in 2.17.2)."""
        ids = [self.cls_id] + self.encode_text(text) + [self.sep_id]
        return ids[:max_length] if max_length else ids


# ---------------------------------------------------------------------------------------------
# Vocabulary learning: BPE-style merges over word counts with the WordPiece '##' continuation
# prefix (what Hugging Face's WordPieceTrainer does), deterministic tie-breaking.
# ---------------------------------------------------------------------------------------------

def learn_vocab(word_counts: Counter, vocab_size: int, min_frequency: int = 2, alphabet_min_count: int = 5,
                max_alphabet: int = 1000, log=print) -> list[str]:
    """word_counts: normalised pre-tokenised word -> (weighted) count.

    The alphabet is every character seen at least alphabet_min_count times (at most max_alphabet,
    most frequent first), each both as a word start and as a '##' continuation, so any word made of
    alphabet characters is encodable. Then the most frequent adjacent symbol pair is merged
    repeatedly (ties: lexicographically smallest pair) until the vocabulary is full or no pair
    occurs min_frequency times. Words with characters outside the alphabet take no part in merges.
    """
    char_counts = Counter()
    for w, c in word_counts.items():
        for ch in w:
            char_counts[ch] += c
    alphabet = [ch for ch, c in sorted(char_counts.items(), key=lambda kv: (-kv[1], kv[0]))
                if c >= alphabet_min_count][:max_alphabet]
    alpha = set(alphabet)
    vocab: list[str] = list(SPECIALS)
    seen = set(vocab)
    for ch in sorted(alphabet):
        for tok in (ch, PREFIX + ch):
            if tok not in seen:
                seen.add(tok)
                vocab.append(tok)
    log(f'vocab: {len(word_counts)} distinct words, alphabet {len(alphabet)} characters, '
        f'{len(vocab)} base tokens')

    # words as symbol-id lists
    sym: list[str] = []
    sym_id: dict[str, int] = {}

    def sid(tok: str) -> int:
        i = sym_id.get(tok)
        if i is None:
            i = sym_id[tok] = len(sym)
            sym.append(tok)
        return i

    words_syms: list[list[int]] = []
    counts: list[int] = []
    for w, c in sorted(word_counts.items()):
        if c < min_frequency or not w or any(ch not in alpha for ch in w):
            continue
        words_syms.append([sid(w[0])] + [sid(PREFIX + ch) for ch in w[1:]])
        counts.append(c)

    pair_count: dict[tuple[int, int], int] = defaultdict(int)
    where: dict[tuple[int, int], set[int]] = defaultdict(set)
    for wi, s in enumerate(words_syms):
        c = counts[wi]
        for a, b in zip(s, s[1:]):
            pair_count[(a, b)] += c
            where[(a, b)].add(wi)

    def merged(a: int, b: int) -> str:
        return sym[a] + sym[b][len(PREFIX):]

    heap = [(-c, sym[a], sym[b], a, b) for (a, b), c in pair_count.items()]
    heapq.heapify(heap)
    while len(vocab) < vocab_size and heap:
        negc, _, _, a, b = heapq.heappop(heap)
        c = pair_count.get((a, b), 0)
        if c != -negc:            # stale entry
            if c > 0:
                heapq.heappush(heap, (-c, sym[a], sym[b], a, b))
            continue
        if c < min_frequency:
            break
        new_tok = merged(a, b)
        n = sid(new_tok)
        if new_tok not in seen:
            seen.add(new_tok)
            vocab.append(new_tok)
        changed: set[tuple[int, int]] = set()
        for wi in sorted(where.pop((a, b), ())):
            s = words_syms[wi]
            wc = counts[wi]
            i, out = 0, []
            while i < len(s):
                if i + 1 < len(s) and s[i] == a and s[i + 1] == b:
                    out.append(n)
                    i += 2
                else:
                    out.append(s[i])
                    i += 1
            if out == s:
                continue
            for p in zip(s, s[1:]):
                pair_count[p] -= wc
                changed.add(p)
            for p in zip(out, out[1:]):
                pair_count[p] += wc
                where[p].add(wi)
                changed.add(p)
            words_syms[wi] = out
        pair_count.pop((a, b), None)
        for p in sorted(changed):
            pc = pair_count.get(p, 0)
            if pc <= 0:
                pair_count.pop(p, None)
                where.pop(p, None)
            elif p != (a, b):
                heapq.heappush(heap, (-pc, sym[p[0]], sym[p[1]], p[0], p[1]))
    log(f'vocab: {len(vocab)} tokens')
    return vocab


# ---------------------------------------------------------------------------------------------
# Hugging Face files
# ---------------------------------------------------------------------------------------------

def tokenizer_json(vocab: list[str]) -> dict:
    ids = {t: i for i, t in enumerate(vocab)}
    special = lambda t, i: {'id': i, 'content': t, 'single_word': False, 'lstrip': False,  # noqa: E731
                            'rstrip': False, 'normalized': False, 'special': True}
    st = lambda t, type_id: {'SpecialToken': {'id': t, 'type_id': type_id}}  # noqa: E731
    return {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': [special(t, ids[t]) for t in SPECIALS],
        'normalizer': {'type': 'BertNormalizer', 'clean_text': True, 'handle_chinese_chars': True,
                       'strip_accents': True, 'lowercase': True},
        'pre_tokenizer': {'type': 'BertPreTokenizer'},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [st(CLS, 0), {'Sequence': {'id': 'A', 'type_id': 0}}, st(SEP, 0)],
            'pair': [st(CLS, 0), {'Sequence': {'id': 'A', 'type_id': 0}}, st(SEP, 0),
                     {'Sequence': {'id': 'B', 'type_id': 1}}, st(SEP, 1)],
            'special_tokens': {t: {'id': t, 'ids': [ids[t]], 'tokens': [t]} for t in (CLS, SEP)},
        },
        'decoder': {'type': 'WordPiece', 'prefix': PREFIX, 'cleanup': True},
        'model': {'type': 'WordPiece', 'unk_token': UNK, 'continuing_subword_prefix': PREFIX,
                  'max_input_chars_per_word': MAX_CHARS_PER_WORD, 'vocab': ids},
    }


def tokenizer_config(max_length: int) -> dict:
    return {
        'tokenizer_class': 'BertTokenizer',
        'do_lower_case': True,
        'strip_accents': True,
        'tokenize_chinese_chars': True,
        'model_max_length': max_length,
        'padding_side': 'right',
        'truncation_side': 'right',
        'clean_up_tokenization_spaces': True,
        'unk_token': UNK, 'sep_token': SEP, 'pad_token': PAD, 'cls_token': CLS, 'mask_token': MASK,
    }


def write_tokenizer(folder: str, vocab: list[str], max_length: int) -> None:
    import os
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'tokenizer.json'), 'w', encoding='utf-8') as fh:
        json.dump(tokenizer_json(vocab), fh, ensure_ascii=False, indent=1)
        fh.write('\n')
    with open(os.path.join(folder, 'tokenizer_config.json'), 'w', encoding='utf-8') as fh:
        json.dump(tokenizer_config(max_length), fh, indent=2)
        fh.write('\n')
    with open(os.path.join(folder, 'special_tokens_map.json'), 'w', encoding='utf-8') as fh:
        json.dump({'unk_token': UNK, 'sep_token': SEP, 'pad_token': PAD, 'cls_token': CLS, 'mask_token': MASK},
                  fh, indent=2)
        fh.write('\n')
    with open(os.path.join(folder, 'vocab.txt'), 'w', encoding='utf-8') as fh:
        fh.write(''.join(t + '\n' for t in vocab))


def load_vocab(tokenizer_json_path: str) -> list[str]:
    with open(tokenizer_json_path, encoding='utf-8') as fh:
        ids = json.load(fh)['model']['vocab']
    vocab = [''] * len(ids)
    for t, i in ids.items():
        vocab[i] = t
    return vocab


if __name__ == '__main__':   # debugging aid: python3 wordpiece.py tokenizer.json "some text"
    wp = WordPiece(load_vocab(sys.argv[1]))
    for text in sys.argv[2:]:
        ids = wp.encode(text)
        print(ids, [wp.vocab[i] for i in ids])
