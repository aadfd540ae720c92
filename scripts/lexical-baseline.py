#!/usr/bin/env python3
"""Diagnostic, not part of the product: how far plain lexical features get on the same split.

A TF-IDF logistic regression over word 1-2-grams and character 3-5-grams (features seen in at least
two train posts), L2 strength picked on dev, scored on test: grievance F1 and category macro-F1 as
`npm run eval` defines them (category on the posts labelled as grievances). It answers one question
for the model work: does the project's encoder already beat lexical features?

usage: /usr/bin/python3 scripts/lexical-baseline.py [split-dir]   (needs python3-torch; ~2 min on 2 cores)
"""
from __future__ import annotations

import collections
import json
import math
import os
import re
import sys

import torch

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'domain', 'labels.json'), encoding='utf-8') as fh:
    CATEGORIES = json.load(fh)['categories']
L2_GRID = (1e-5, 3e-5, 1e-4)


def read(split_dir: str, name: str) -> list[dict]:
    with open(f'{split_dir}/{name}.jsonl', encoding='utf-8') as fh:
        return [json.loads(line) for line in fh if line.strip()]


def features(text: str) -> list[str]:
    t = text.lower()
    words = re.findall(r'\w+', t)
    padded = ' ' + re.sub(r'\s+', ' ', t) + ' '
    return (words + [f'{a} {b}' for a, b in zip(words, words[1:])]
            + [padded[i:i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)])


class Tfidf:
    def __init__(self, rows: list[dict]):
        df = collections.Counter()
        for r in rows:
            df.update(set(features(r['text'])))
        self.index = {f: i for i, f in enumerate(sorted(f for f, c in df.items() if c >= 2))}
        self.idf = {f: math.log((1 + len(rows)) / (1 + df[f])) + 1 for f in self.index}

    def matrix(self, rows: list[dict]) -> torch.Tensor:
        idx, val = [[], []], []
        for k, r in enumerate(rows):
            counts = collections.Counter(f for f in features(r['text']) if f in self.index)
            weights = {f: (1 + math.log(n)) * self.idf[f] for f, n in counts.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for f, w in weights.items():
                idx[0].append(k)
                idx[1].append(self.index[f])
                val.append(w / norm)
        return torch.sparse_coo_tensor(idx, val, (len(rows), len(self.index))).coalesce()


def fit(x: torch.Tensor, y: torch.Tensor, classes: int, l2: float):
    w = torch.zeros(x.shape[1], classes, requires_grad=True)
    b = torch.zeros(classes, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=200, line_search_fn='strong_wolfe')

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(torch.sparse.mm(x, w) + b, y) + l2 * (w * w).sum()
        loss.backward()
        return loss
    opt.step(closure)
    return lambda z: (torch.sparse.mm(z, w) + b).argmax(1)


def f1s(truth: torch.Tensor, pred: torch.Tensor, classes: int) -> list[float]:
    out = []
    for c in range(classes):
        tp = int(((pred == c) & (truth == c)).sum())
        fp = int(((pred == c) & (truth != c)).sum())
        fn = int(((pred != c) & (truth == c)).sum())
        out.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return out


def main() -> None:
    torch.manual_seed(0)
    torch.set_num_threads(2)
    split_dir = sys.argv[1] if len(sys.argv) > 1 else 'fixtures/training'
    train, dev, test = (read(split_dir, s) for s in ('train', 'dev', 'test'))
    tasks = {
        'grievance F1': (lambda r: True, lambda r: int(r['grievance']), 2, lambda s: s[1]),
        'category macro-F1': (lambda r: r['grievance'], lambda r: CATEGORIES.index(r['category']), len(CATEGORIES),
                              lambda s: sum(s) / len(s)),
    }
    print('| field | L2 (chosen on dev) | dev | test |\n|---|---:|---:|---:|')
    for name, (keep, label, classes, score) in tasks.items():
        rows = [[r for r in split if keep(r)] for split in (train, dev, test)]
        vectoriser = Tfidf(rows[0])
        (xa, xd, xt), (ya, yd, yt) = ([vectoriser.matrix(r) for r in rows],
                                      [torch.tensor([label(r) for r in part]) for part in rows])
        best = max(((score(f1s(yd, predict(xd), classes)), l2, predict)
                    for l2 in L2_GRID for predict in [fit(xa, ya, classes, l2)]), key=lambda t: t[0])
        print(f'| {name} | {best[1]:g} | {best[0]:.3f} | {score(f1s(yt, best[2](xt), classes)):.3f} |')


if __name__ == '__main__':
    main()
