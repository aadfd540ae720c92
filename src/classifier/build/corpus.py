"""The pretraining text: every <corpora>/*/text.txt (read in sorted order, never copied anywhere)
plus the texts of the TRAIN split only. Dev and test texts never reach the vocabulary or the MLM
steps, so the held-out measurements stay held out."""
from __future__ import annotations

import glob
import os
import random
import unicodedata
from dataclasses import dataclass

from common import read_jsonl


@dataclass(frozen=True)
class Source:
    name: str
    weight: float
    lines: tuple[str, ...]
    path: str


def read_sources(corpora_dir: str, train_jsonl: str, weights: dict[str, float], max_lines: int = 0) -> list[Source]:
    files = sorted(glob.glob(os.path.join(corpora_dir, '*', 'text.txt')))
    if not files:
        raise SystemExit(f'corpus: no */text.txt under {corpora_dir} (set KS_CORPORA_DIR)')
    sources = []
    for path in files:
        name = os.path.basename(os.path.dirname(path))
        with open(path, encoding='utf-8') as fh:
            lines = [ln.strip() for ln in fh]
        lines = [ln for ln in lines if ln]
        sources.append(Source(name, weights.get(name, 1.0), tuple(lines[:max_lines] if max_lines else lines), path))
    train = [unicodedata.normalize('NFC', r['text']) for r in read_jsonl(train_jsonl)]
    sources.append(Source('train-split', weights['train-split'], tuple(train), train_jsonl))
    return sources


def weighted_units(units: list[list[int]], weight: float, rng: random.Random) -> list[list[int]]:
    """Each unit floor(weight) times, plus once more with probability frac(weight)."""
    whole, frac = int(weight), weight - int(weight)
    out = []
    for u in units:
        n = whole + (1 if frac and rng.random() < frac else 0)
        out.extend([u] * n)
    return out
