#!/usr/bin/env python3
"""Split the labelled corpus into train / dev / test without near-duplicate leakage.

Reads   fixtures/training/parts/*.jsonl   (rows in the scripts/corpus-check.mjs format)
Writes  <out-dir>/train.jsonl, dev.jsonl, test.jsonl   (default fixtures/training/)

* Near-duplicates: texts are lowercased and whitespace-folded, turned into sets of character
  5-gram shingles, and every pair with Jaccard similarity >= 0.6 is found exactly (all-pairs
  prefix filtering, verified pair by pair). Near-duplicate pairs are merged with union-find into
  groups, and a whole group always goes to one split, so no near-duplicate pair crosses splits.
* Stratification: groups are assigned per stratum (grievance + category, refined by language) to
  the split whose share of that stratum is furthest below its target (70/15/15), biggest groups
  first, ties broken by a seeded shuffle. Same input -> byte-identical output.
* Output rows keep their original fields and key order, one JSON object per line, sorted by id.

Rows that fail the corpus contract (or repeat an id) are skipped with a warning; --strict makes
them an error instead (the full build uses --strict).
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import math
import os
import random
import re
import sys
from collections import Counter, defaultdict

from labels import CATEGORIES, LODGED, PERSPECTIVES, SEVERITIES

KEYS = ['id', 'lang', 'register', 'text', 'complaint', 'police_related', 'grievance', 'category', 'lodged',
        'perspective', 'severity', 'unit']

SPLITS = ('train', 'dev', 'test')
TARGET = {'train': 0.70, 'dev': 0.15, 'test': 0.15}
SHINGLE = 5
THRESHOLD = 0.6
DEFAULT_SEED = 20240501


def check_row(row: dict) -> list[str]:
    """The essential parts of scripts/corpus-check.mjs (the fields training depends on)."""
    errs = [f'missing {k}' for k in KEYS if k not in row]
    if errs:
        return errs
    if not isinstance(row['id'], str) or not row['id']:
        errs.append('id must be a non-empty string')
    if row['lang'] not in ('nl', 'en'):
        errs.append('lang must be nl or en')
    if not isinstance(row['text'], str) or len(row['text'].strip()) < 8:
        errs.append('text too short')
    for k in ('complaint', 'police_related', 'grievance'):
        if not isinstance(row[k], bool):
            errs.append(f'{k} must be boolean')
    if row['grievance'] is True:
        if not (row['complaint'] and row['police_related']):
            errs.append('grievance implies complaint and police_related')
        for k, allowed in (('category', CATEGORIES), ('lodged', LODGED), ('perspective', PERSPECTIVES),
                           ('severity', SEVERITIES)):
            if row[k] not in allowed:
                errs.append(f'bad {k}')
    else:
        for k in ('category', 'lodged', 'perspective', 'severity'):
            if row[k] is not None:
                errs.append(f'{k} must be null when grievance is false')
    return errs


def read_parts(pattern: str, strict: bool) -> tuple[list[dict], list[str]]:
    rows, problems, seen = [], [], {}
    files = sorted(glob.glob(pattern))
    if not files:
        sys.exit(f'split: no files match {pattern}')
    for path in files:
        with open(path, encoding='utf-8') as fh:
            for no, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f'{os.path.basename(path)}:{no}'
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    problems.append(f'{where}: invalid JSON ({e.msg})')
                    continue
                errs = check_row(row) if isinstance(row, dict) else ['not an object']
                if not errs and row['id'] in seen:
                    errs.append(f'duplicate id (also {seen[row["id"]]})')
                if errs:
                    problems.append(f'{where}: {"; ".join(errs)}')
                    continue
                seen[row['id']] = where
                rows.append(row)
    if problems:
        for p in problems[:20]:
            print(f'split: skipped {p}', file=sys.stderr)
        if len(problems) > 20:
            print(f'split: ... and {len(problems) - 20} more', file=sys.stderr)
        if strict:
            sys.exit(f'split: {len(problems)} bad rows (strict mode)')
    return rows, problems


def fold(text: str) -> str:
    return re.sub(r'\s+', ' ', text.lower()).strip()


def shingles(text: str) -> frozenset[str]:
    t = fold(text)
    if len(t) <= SHINGLE:
        return frozenset([t])
    return frozenset(t[i:i + SHINGLE] for i in range(len(t) - SHINGLE + 1))


def near_duplicate_pairs(sets: list[frozenset[str]], threshold: float) -> list[tuple[int, int, float]]:
    """All pairs (i < j) with Jaccard >= threshold, exactly: prefix filtering on shingles ordered by
    rarity (any such pair shares a shingle within both prefixes), a size filter, then verification."""
    df = Counter(s for st in sets for s in st)
    order = {s: (df[s], s) for s in df}                       # rarest first, ties by string
    index: dict[str, list[int]] = defaultdict(list)
    pairs = []
    by_size = sorted(range(len(sets)), key=lambda i: (len(sets[i]), i))
    for i in by_size:                                         # probe against smaller-or-equal sets
        st = sets[i]
        n = len(st)
        toks = sorted(st, key=order.__getitem__)
        prefix = toks[:n - math.ceil(threshold * n) + 1]
        cands = set()
        for tok in prefix:
            cands.update(index[tok])
        for j in cands:
            other = sets[j]
            if len(other) < threshold * n:                    # size filter
                continue
            inter = len(st & other)
            jac = inter / (n + len(other) - inter)
            if jac >= threshold:
                pairs.append((min(i, j), max(i, j), jac))
        for tok in prefix:
            index[tok].append(i)
    pairs.sort()
    return pairs


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def stratum(row: dict) -> str:
    return f'{row["category"] if row["grievance"] else "no_grievance"}|{row["lang"]}'


def assign(rows: list[dict], groups: list[list[int]], seed: int) -> dict[int, str]:
    """Group -> split, stratum by stratum (a group's stratum is its most common member stratum)."""
    rng = random.Random(seed)
    by_stratum: dict[str, list[list[int]]] = defaultdict(list)
    for g in groups:
        counts = Counter(stratum(rows[i]) for i in g)
        key = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        by_stratum[key].append(g)
    split_of: dict[int, str] = {}
    total = Counter()
    for key in sorted(by_stratum):
        gs = sorted(by_stratum[key], key=lambda g: rows[g[0]]['id'])
        rng.shuffle(gs)
        gs.sort(key=len, reverse=True)                        # stable: big groups first, else shuffled
        size = sum(len(g) for g in gs)
        have = Counter()
        for g in gs:
            # the split furthest below its target share of this stratum (then of the whole corpus)
            best = max(SPLITS, key=lambda s: (TARGET[s] * size - have[s], TARGET[s] * len(rows) - total[s],
                                              -SPLITS.index(s)))
            have[best] += len(g)
            total[best] += len(g)
            for i in g:
                split_of[i] = best
    return split_of


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--parts', default='fixtures/training/parts/*.jsonl')
    ap.add_argument('--out-dir', default='fixtures/training')
    ap.add_argument('--seed', type=int, default=DEFAULT_SEED)
    ap.add_argument('--limit', type=int, default=0, help='use only the first N valid rows (smoke builds)')
    ap.add_argument('--strict', action='store_true', help='fail on any row that breaks the corpus contract')
    ap.add_argument('--report', help='write a JSON summary here')
    args = ap.parse_args()

    rows, problems = read_parts(args.parts, args.strict)
    if args.limit:
        rows = rows[:args.limit]
    rows.sort(key=lambda r: r['id'])
    sets = [shingles(r['text']) for r in rows]
    pairs = near_duplicate_pairs(sets, THRESHOLD)
    uf = UnionFind(len(rows))
    for i, j, _ in pairs:
        uf.union(i, j)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        members[uf.find(i)].append(i)
    groups = [members[r] for r in sorted(members)]
    split_of = assign(rows, groups, args.seed)

    crossing = [(rows[i]['id'], rows[j]['id']) for i, j, _ in pairs if split_of[i] != split_of[j]]
    assert not crossing, f'near-duplicates cross splits: {crossing[:5]}'

    os.makedirs(args.out_dir, exist_ok=True)
    hashes, counts = {}, {}
    for s in SPLITS:
        chosen = sorted((rows[i] for i in range(len(rows)) if split_of[i] == s), key=lambda r: r['id'])
        data = ''.join(json.dumps(r, ensure_ascii=False) + '\n' for r in chosen).encode('utf-8')
        path = os.path.join(args.out_dir, f'{s}.jsonl')
        tmp = path + '.tmp'
        with open(tmp, 'wb') as fh:
            fh.write(data)
        os.replace(tmp, path)
        hashes[s] = hashlib.sha256(data).hexdigest()
        counts[s] = len(chosen)

    multi = [g for g in groups if len(g) > 1]
    print(f'split: {len(rows)} rows ({len(problems)} skipped), {len(pairs)} near-duplicate pairs '
          f'(Jaccard >= {THRESHOLD}) in {len(multi)} groups (largest {max(map(len, groups), default=0)}); '
          + ', '.join(f'{s} {counts[s]}' for s in SPLITS))
    per = defaultdict(Counter)
    for i, r in enumerate(rows):
        per[r['category'] if r['grievance'] else 'no_grievance'][split_of[i]] += 1
    for key in sorted(per):
        c = per[key]
        print(f'  {key:16s} ' + ' '.join(f'{s}={c[s]:4d}' for s in SPLITS))
    if args.report:
        with open(args.report, 'w', encoding='utf-8') as fh:
            json.dump({'rows': len(rows), 'skipped': len(problems), 'near_duplicate_pairs': len(pairs),
                       'near_duplicate_groups': len(multi), 'counts': counts, 'sha256': hashes,
                       'seed': args.seed, 'shingle': SHINGLE, 'threshold': THRESHOLD}, fh, indent=2)


if __name__ == '__main__':
    main()
