"""Per-field dev scores for model selection (the TypeScript eval is the reference for reports)."""
from __future__ import annotations


def field_scores(truth: list[int], pred: list[int], k: int) -> dict:
    pairs = [(t, p) for t, p in zip(truth, pred) if t >= 0]
    n = len(pairs)
    f1s = []
    for c in range(k):
        tp = sum(1 for t, p in pairs if t == c and p == c)
        fp = sum(1 for t, p in pairs if t != c and p == c)
        fn = sum(1 for t, p in pairs if t == c and p != c)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    acc = sum(1 for t, p in pairs if t == p) / n if n else 0.0
    out = {'n': n, 'accuracy': round(acc, 4), 'macro_f1': round(sum(f1s) / k, 4)}
    out['f1'] = round(f1s[1], 4) if k == 2 else out['macro_f1']
    return out
