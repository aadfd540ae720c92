#!/usr/bin/env python3
"""Stage: learn the WordPiece vocabulary from the weighted pretraining text and write the
tokenizer files into the model folder, plus tokenizer-check.json (texts and the ids Python gives
them) for check-tokenizer.ts to compare against Transformers.js."""
from __future__ import annotations

import os
import time
from collections import Counter

from common import log, profile, read_jsonl, stage_args, write_json
from corpus import read_sources
from wordpiece import WordPiece, learn_vocab, words, write_tokenizer

WEIGHT_SCALE = 100    # word counts are integers: weight 0.08 -> 8, weight 1 -> 100

TRICKY = [
    'Één agent, café-ruïne: naïef?! 😡🚓 #politie @Politie_NL https://t.co/xYz?a=1&b=2',
    'e\u0301e\u0301n COMBINATIE van [MASK] en [CLS] tekens…   en\ttabs\nen regels',
    '0900-8844 bellen?? 112!!! 3x gebeld om 02:13u, € 95,- boete (art. 5 WVW)',
    'Ｆｕｌｌｗｉｄｔｈ ｔｅｋｓｔ and 中文字符 and 日本語 and ﬁ ligature',
    'woordmetheelveelletterszonderspatiesdatlangerisdanhonderdtekensomtezienwatergebeurtalshetwoordtelangisvoordewordpieceaaaaaaaa',
]


def main() -> None:
    args = stage_args(__doc__).parse_args()
    prof = profile(args.profile)
    started = time.time()
    sources = read_sources(args.corpora, os.path.join(args.split_dir, 'train.jsonl'),
                           prof['corpus']['source_weights'], prof['corpus']['max_lines_per_source'])
    counts: Counter = Counter()
    for s in sources:
        w = round(s.weight * WEIGHT_SCALE)
        for line in s.lines:
            for word in words(line):
                counts[word] += w
        log(f'[vocab] {s.name}: {len(s.lines)} lines, weight {s.weight}')
    v = prof['vocab']
    vocab = learn_vocab(counts, v['size'], min_frequency=v['min_frequency'] * WEIGHT_SCALE,
                        alphabet_min_count=v['alphabet_min_count'] * WEIGHT_SCALE,
                        log=lambda m: log(f'[vocab] {m}'))
    max_len = prof['finetune']['max_len']
    write_tokenizer(args.out, vocab, max_len)

    wp = WordPiece(vocab)
    train = read_jsonl(os.path.join(args.split_dir, 'train.jsonl'))
    sample = TRICKY + [r['text'] for r in train[:200]]
    for s in sources[:-1]:
        sample += list(s.lines[:: max(1, len(s.lines) // 15)][:15])
    write_json(os.path.join(args.work, 'tokenizer-check.json'),
               {'maxLength': max_len, 'items': [{'text': t, 'ids': wp.encode(t, max_len)} for t in sample]})
    lengths = sorted(len(wp.encode(r['text'])) for r in train)
    pct = lambda q: lengths[min(len(lengths) - 1, int(q * len(lengths)))]  # noqa: E731
    truncated = sum(n > max_len for n in lengths)
    log(f'[vocab] {len(vocab)} tokens; train-post lengths p50 {pct(.5)} p90 {pct(.9)} p99 {pct(.99)} max {lengths[-1]}; '
        f'{truncated} of {len(lengths)} over {max_len}')
    write_json(os.path.join(args.work, 'stage-vocab.json'), {
        'vocab_size': len(vocab), 'seconds': round(time.time() - started, 1),
        'distinct_words': len(counts),
        'sources': [{'name': s.name, 'lines': len(s.lines), 'weight': s.weight} for s in sources],
        'train_token_lengths': {'p50': pct(.5), 'p90': pct(.9), 'p99': pct(.99), 'max': lengths[-1],
                                'over_max_len': truncated},
    })


if __name__ == '__main__':
    main()
