"""Shared plumbing for the build stages: determinism, progress lines on stderr, small JSON helpers."""
from __future__ import annotations

import json
import os
import random
import sys
import time

THREADS = 2


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def make_deterministic(seed: int):
    """Seeds python and torch, forces deterministic kernels and a fixed thread count (reductions
    split work per thread, so a different count gives different float rounding)."""
    import torch
    random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    return torch


class Progress:
    """Prints 'stage step i/n loss tokens/s eta' at most every `every` seconds (and at the end)."""

    def __init__(self, stage: str, total: int, every: float = 10.0):
        self.stage, self.total, self.every = stage, total, every
        self.start = self.last = time.time()
        self.tokens = 0

    def step(self, i: int, loss: float, tokens: int, extra: str = '') -> None:
        self.tokens += tokens
        now = time.time()
        if now - self.last < self.every and i != self.total:
            return
        self.last = now
        spent = now - self.start
        eta = spent / max(i, 1) * (self.total - i)
        log(f'[{self.stage}] step {i}/{self.total} loss {loss:.4f} {self.tokens / max(spent, 1e-9):,.0f} tokens/s '
            f'elapsed {spent / 60:.1f} min eta {eta / 60:.1f} min{(" " + extra) if extra else ""}')

    def seconds(self) -> float:
        return time.time() - self.start


def read_jsonl(path: str) -> list[dict]:
    with open(path, encoding='utf-8') as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_json(path: str, data) -> None:
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'w', encoding='utf-8') as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write('\n')


def read_json(path: str):
    with open(path, encoding='utf-8') as fh:
        return json.load(fh)


def stage_args(description: str):
    """The arguments every stage takes (build.sh passes the same set to each)."""
    import argparse
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument('--profile', choices=('full', 'smoke'), default='full')
    ap.add_argument('--out', required=True, help='the model folder being built')
    ap.add_argument('--work', required=True, help='scratch folder for checkpoints and stage records')
    ap.add_argument('--split-dir', required=True, help='folder with train.jsonl, dev.jsonl, test.jsonl')
    ap.add_argument('--corpora', required=True, help='folder with <source>/text.txt')
    ap.add_argument('--seed', type=int, default=1234)
    return ap


def merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


def profile(name: str) -> dict:
    """The named profile, with KS_OVERRIDES (JSON, e.g. '{"pretrain": {"steps": 100}}') merged in for
    short trial runs; the overrides end up in build-info.json with everything else."""
    from profiles import PROFILES
    return merge(PROFILES[name], json.loads(os.environ.get('KS_OVERRIDES') or '{}'))


def torch_stage(description: str):
    """Arguments, profile and a seeded, deterministic torch: the start of every training stage."""
    args = stage_args(description).parse_args()
    return args, profile(args.profile), make_deterministic(args.seed)
