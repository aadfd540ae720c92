#!/usr/bin/env python3
"""Stage: build-info.json (machine-readable record of the build) and README.md (the model card),
from the stage records in the work folder, the files in the model folder and the eval JSONs."""
from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess

from common import THREADS, profile, read_json, stage_args, write_json
from labels import FIELDS as HEAD_FIELDS

# From ../shared/corpora/nl/SOURCES.md (the text is read at build time, never copied).
SOURCE_INFO = {
    'mhc-hatecheck-nl': ('Multilingual HateCheck, Dutch test cases (Röttger et al., WOAH 2022)', 'CC BY 4.0'),
    'xed-subtitles-nl': ('XED emotion dataset, Dutch OpenSubtitles lines (Helsinki-NLP)', 'CC BY 4.0'),
    'tatoeba-nl': ('Tatoeba sentences via Helsinki-NLP/OPUS-MT-testsets', 'CC BY 2.0 FR (some CC0)'),
    'commonvoice-nl': ('Mozilla Common Voice Dutch prompt sentences', 'CC0 1.0'),
    'tk-handelingen-2018': ('Tweede Kamer Handelingen, 5 April 2018', 'public domain (Auteurswet art. 11)'),
    'flores-ntrex-nl': ('FLORES-200 devtest (nld_Latn) and NTREX-128 newstest2019', 'CC BY-SA 4.0'),
    'ud-dutch': ('UD Dutch LassySmall and UD Dutch Alpino sentences', 'CC BY-SA 4.0'),
    'sgd-parliament-ocr-1947-1995': ('Staten-Generaal Digitaal OCR of parliamentary papers 1947–1995',
                                     'public domain (Auteurswet art. 11); scraper repo MIT'),
    'train-split': ('klachtsignaal labelled corpus, train split only (fixtures/training/train.jsonl)',
                    'project data (EUPL-1.2)'),
}
NOT_HASHED = {'README.md', 'build-info.json'}


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, 'rb') as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def files_of(folder: str) -> dict:
    out = {}
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for n in sorted(names):
            rel = os.path.relpath(os.path.join(root, n), folder)
            if rel not in NOT_HASHED:
                out[rel] = {'bytes': os.path.getsize(os.path.join(root, n)), 'sha256': sha256(os.path.join(root, n))}
    return out


FIELDS = list(HEAD_FIELDS)


def heads_info(heads: dict | None, fields: list[str] = FIELDS) -> dict | None:
    if not heads:
        return None
    return {'file': 'heads.json', 'dev': {f: heads['fields'][f]['dev'] for f in fields},
            'lexical_weights': {f: heads['fields'][f].get('lexicalWeight', 0) for f in fields},
            'lexical': heads.get('lexical')}


def field_metric(ev: dict, field: str) -> float:
    f = ev['fields'][field]
    return f['positive']['f1'] if f['binary'] else f['metrics']['macroF1']


def split_metrics(ev: dict) -> dict:
    """What build-info.json keeps of one eval.json."""
    return {'n': ev['n'], 'headline': ev['headline'], 'fields': {f: field_metric(ev, f) for f in FIELDS}}


def package_version(repo: str, name: str) -> str | None:
    try:
        return read_json(os.path.join(repo, 'node_modules', name, 'package.json'))['version']
    except OSError:
        return None


def main() -> None:
    ap = stage_args(__doc__)
    ap.add_argument('--repo', required=True)
    args = ap.parse_args()
    prof = profile(args.profile)
    w = lambda name: os.path.join(args.work, name)  # noqa: E731
    vocab, pre, fine, exp = (read_json(w(f'stage-{s}.json')) for s in ('vocab', 'pretrain', 'finetune', 'export'))
    split = read_json(w('split.json'))
    verify = read_json(w('verify.json'))
    timings = {}
    with open(w('timings.tsv'), encoding='utf-8') as fh:
        for line in fh:
            name, secs = line.split()
            timings[name] = round(float(secs), 1)
    evals = {s: read_json(w(f'eval-{s}/eval.json')) for s in ('dev', 'test') if os.path.exists(w(f'eval-{s}/eval.json'))}
    heads = read_json(os.path.join(args.out, 'heads.json')) if os.path.exists(os.path.join(args.out, 'heads.json')) else None
    config = read_json(os.path.join(args.out, 'config.json'))
    files = files_of(args.out)
    fields = FIELDS
    node = subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()

    info = {
        'model': os.path.basename(os.path.abspath(args.out)),
        'profile': prof['name'],
        'seed': args.seed,
        'heads_seed': prof['heads']['seed'],
        'threads': THREADS,
        'deterministic_algorithms': True,
        'versions': {'python': platform.python_version(), 'torch': exp['torch'], 'onnx': exp['onnx'], 'node': node,
                     '@xenova/transformers': package_version(args.repo, '@xenova/transformers'),
                     'onnxruntime-node': package_version(args.repo, 'onnxruntime-node')},
        'architecture': {'model_type': 'bert', 'parameters': pre['parameters'], 'vocab_size': config['vocab_size'],
                         'layers': config['num_hidden_layers'], 'hidden_size': config['hidden_size'],
                         'attention_heads': config['num_attention_heads'],
                         'intermediate_size': config['intermediate_size'],
                         'max_length': config['max_position_embeddings'], 'onnx_opset': exp['opset']},
        'hyperparameters': prof,
        'data': {
            'split': {'rows': split['rows'], 'counts': split['counts'], 'sha256': split['sha256'],
                      'seed': split['seed'], 'near_duplicate_groups': split['near_duplicate_groups']},
            'pretraining_sources': vocab['sources'],
            'pretraining_sequences': pre['sequences'], 'pretraining_corpus_tokens': pre['corpus_tokens'],
            'train_token_lengths': vocab['train_token_lengths'],
        },
        'steps': {
            'pretrain': {k: pre[k] for k in ('steps', 'batch_size', 'tokens_seen', 'passes', 'first_loss', 'final_loss',
                                             'tokens_per_second')},
            'finetune': {k: fine[k] for k in ('steps', 'steps_per_epoch', 'epochs_run', 'best_epoch',
                                              'best_epoch_dev_headline', 'averaged_epochs', 'best_dev_headline',
                                              'tokens_per_second')},
        },
        'finetune_dev_history': [{'epoch': h['epoch'], 'train_loss': h['train_loss'], 'dev_headline': h['dev_headline'],
                                  'dev': {f: h['dev'][f]['f1'] for f in fields}} for h in fine['history']],
        'verification': verify,
        'metrics': {s: split_metrics(ev) for s, ev in evals.items()},
        'heads': heads_info(heads, fields),
        'onnx_sha256': files['onnx/model.onnx']['sha256'],
        'files': files,
        'timings_seconds': timings,
    }
    write_json(os.path.join(args.out, 'build-info.json'), info)
    with open(os.path.join(args.out, 'README.md'), 'w', encoding='utf-8') as fh:
        fh.write(card(info))


def heads_section(heads: dict | None) -> list[str]:
    if not heads:
        return []
    lexical = heads.get('lexical')
    lines = ['## Heads', '',
             'One softmax regression per field on the embedding, trained in TypeScript (`npm run train`). '
             'Where a field\'s dev score gained from it, its distribution is pooled with that of a softmax '
             'regression on TF-IDF features (lower-cased words and word bigrams, character n-grams): '
             'softmax((1 − a) · log p_embedding + a · log p_lexical), with a chosen on dev; binary thresholds '
             'are chosen on dev after that. The small encoder misses lexical detail (slang, spelling variants, '
             'the words that name a category) that the n-grams keep.', '']
    if lexical:
        sizes = ', '.join(map(str, lexical.get('charNgrams', [3, 4, 5])))
        lines += [f'Lexical vocabulary: {lexical["terms"]:,} terms (words, word bigrams, character {sizes}-grams) seen in at '
                  f'least {lexical["minDf"]} training posts; weights stored as int8 with one scale per class.', '']
    lines += ['| field | lexical weight a | dev |', '|---|---:|---:|']
    for f, a in heads['lexical_weights'].items():
        dev = heads['dev'][f]
        lines.append(f'| {f} | {a} | {dev.get("f1") if dev.get("f1") is not None else dev.get("macroF1"):.3f} |')
    return lines + ['']


def mb(n: int) -> str:
    return f'{n / 1e6:.1f} MB'


def card(i: dict) -> str:
    a, hp, d = i['architecture'], i['hyperparameters'], i['data']
    m = i['metrics']
    lines = [
        f'# {i["model"]}', '',
        'The klachtsignaal encoder: a small BERT-style Dutch sentence encoder trained from scratch by',
        '`npm run model:build` (src/classifier/build/), plus the per-field heads trained on its',
        'mean-pooled, L2-normalised embeddings (`heads.json`), each fused, where dev showed a gain, with',
        'a head on the post\'s TF-IDF word and character n-grams (`lexical.json`). It classifies public posts about Dutch',
        'police conduct along the fields in docs/taxonomy. It was built without pretrained weights:',
        'masked-language-model pretraining on openly licensed Dutch text, then multi-task fine-tuning on',
        'the train split, then the TypeScript heads.', '',
        f'Build profile `{i["profile"]}`, seed {i["seed"]} (heads seed {i["heads_seed"]}), {i["threads"]} torch threads, '
        'deterministic algorithms: the same inputs on the same machine give a byte-identical `onnx/model.onnx`.', '',
        '## Files and sizes', '',
        '| | |', '|---|---|',
        f'| parameters | {a["parameters"]:,} |',
        f'| layers / hidden / heads / intermediate | {a["layers"]} / {a["hidden_size"]} / {a["attention_heads"]} / {a["intermediate_size"]} |',
        f'| vocabulary | {a["vocab_size"]:,} WordPiece tokens (lowercased, accents stripped) |',
        f'| max length | {a["max_length"]} tokens |',
        f'| ONNX | opset {a["onnx_opset"]}, inputs input_ids / attention_mask / token_type_ids, output last_hidden_state |',
        f'| sha256 of onnx/model.onnx | `{i["onnx_sha256"]}` |', '',
        '| file | size |', '|---|---:|',
    ]
    lines += [f'| {name} | {mb(f["bytes"])} |' for name, f in i['files'].items()]
    lines += ['', '## Data', '',
              f'Labelled: {d["split"]["rows"]} posts from fixtures/training/parts/, split without near-duplicate leakage '
              f'into train {d["split"]["counts"]["train"]} / dev {d["split"]["counts"]["dev"]} / test {d["split"]["counts"]["test"]} '
              '(src/classifier/build/split.py). Only train texts are used for pretraining and fine-tuning; dev '
              'selects the fine-tuning epoch and the heads\' thresholds; test is only scored.', '',
              'Pretraining text (read at build time from `../shared/corpora/nl`, not copied into the repository; '
              'CC BY and CC BY-SA sources are attributed here):', '',
              '| source | text | licence | lines | weight |', '|---|---|---|---:|---:|']
    for s in d['pretraining_sources']:
        text, lic = SOURCE_INFO.get(s['name'], (s['name'], 'see SOURCES.md'))
        lines.append(f'| {s["name"]} | {text} | {lic} | {s["lines"]:,} | {s["weight"]} |')
    pre, fine = i['steps']['pretrain'], i['steps']['finetune']
    lines += ['', f'Pretraining: {d["pretraining_sequences"]:,} packed sequences ({d["pretraining_corpus_tokens"]:,} tokens after '
              f'weighting); {pre["steps"]} steps × {pre["batch_size"]} sequences = {pre["tokens_seen"]:,} tokens '
              f'({pre["passes"]} passes), MLM loss {pre["first_loss"]} → {pre["final_loss"]}.',
              f'Fine-tuning: {fine["epochs_run"]} epochs of {fine["steps_per_epoch"]} steps, kept the weight average of epochs '
              f'{", ".join(map(str, fine["averaged_epochs"]))} (dev headline {fine["best_dev_headline"]}; best single epoch '
              f'{fine["best_epoch"]}: {fine["best_epoch_dev_headline"]}). Hyperparameters: build-info.json.', '',
              *heads_section(i.get('heads')),
              '## Evaluation', '',
              'After `npm run train` (heads) and `npm run eval`; F1 for binary fields, macro-F1 otherwise.', '',
              '| field | ' + ' | '.join(m) + ' |', '|---|' + '---:|' * len(m)]
    for f in ('grievance', 'category', 'lodged', 'complaint', 'police_related', 'perspective', 'severity'):
        lines.append(f'| {f} | ' + ' | '.join(f'{m[s]["fields"][f]:.3f}' for s in m) + ' |')
    lines += ['| posts | ' + ' | '.join(str(m[s]['n']) for s in m) + ' |', '',
              'Test posts come from the same labelling effort as the training posts; expect lower scores on posts '
              'written independently of it.', '',
              '## Build', '', '| stage | seconds |', '|---|---:|']
    lines += [f'| {k} | {v} |' for k, v in i['timings_seconds'].items()]
    v = i['versions']
    lines += ['', f'torch {v["torch"]}, onnx {v["onnx"]}, Python {v["python"]}, Node {v["node"]}, '
              f'@xenova/transformers {v["@xenova/transformers"]}. Verification: max |torch − ONNX| on last_hidden_state '
              f'{i["verification"]["lastHiddenStateMaxAbsDiff"]:.1e}, on pooled embeddings via the project\'s loader '
              f'{i["verification"]["embeddingMaxAbsDiff"]:.1e}.', '',
              'Rebuild: `npm run model:build` (about 40 minutes on 2 cores); CI runs `--smoke`.', '']
    return '\n'.join(lines)


if __name__ == '__main__':
    main()
