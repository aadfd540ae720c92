#!/usr/bin/env python3
"""After retraining the heads of a built encoder (npm run train) without rebuilding it: bring its
build-info.json and model card up to date with the new heads, files and evaluations. Everything
about the encoder (data, steps, verification) stays as the build recorded it.

usage: python3 refresh-card.py MODEL_DIR --eval dev=DIR --eval test=DIR --heads-seconds S
  (each DIR holds an eval.json from `npm run eval -- --model MODEL_DIR --split <split> --out DIR`)
"""
from __future__ import annotations

import argparse
import os

from card import card, files_of, heads_info, split_metrics
from common import read_json, write_json


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('model_dir')
    ap.add_argument('--eval', action='append', default=[], help='SPLIT=DIR with eval.json')
    ap.add_argument('--heads-seconds', type=float, required=True, help='wall time of npm run train')
    args = ap.parse_args()
    info = read_json(os.path.join(args.model_dir, 'build-info.json'))
    info['heads'] = heads_info(read_json(os.path.join(args.model_dir, 'heads.json')))
    for spec in args.eval:
        split, folder = spec.split('=', 1)
        info['metrics'][split] = split_metrics(read_json(os.path.join(folder, 'eval.json')))
    info['files'] = files_of(args.model_dir)
    timings = info['timings_seconds']
    timings['total'] = round(timings['total'] - timings['heads'] + args.heads_seconds, 1)
    timings['heads'] = round(args.heads_seconds, 1)
    write_json(os.path.join(args.model_dir, 'build-info.json'), info)
    with open(os.path.join(args.model_dir, 'README.md'), 'w', encoding='utf-8') as fh:
        fh.write(card(info))


if __name__ == '__main__':
    main()
