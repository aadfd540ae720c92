#!/usr/bin/env python3
"""Stage: export the fine-tuned encoder to ONNX for Transformers.js.

Writes <out>/onnx/model.onnx (opset 14; int64 inputs input_ids, attention_mask, token_type_ids with
dynamic batch and sequence axes; output last_hidden_state) and <out>/config.json, checks the graph
with onnx.checker, and writes <work>/onnx-check.json: a padded batch of posts with torch's
last_hidden_state and pooled embeddings, which verify-onnx.ts compares against onnxruntime."""
from __future__ import annotations

import json
import os
import time

from common import log, read_jsonl, torch_stage, write_json
from wordpiece import WordPiece, load_vocab

CHECK_TEXTS = [
    'Agent noemde mij gisteren bij de controle een kutmarokkaan. Klacht indienen heeft toch geen zin.',
    'Top hoe snel de politie er was bij het ongeluk op de A12, dank jullie!',
    'Drie keer 112 gebeld toen die gast met een mes voor de deur stond, niemand kwam.',
    'kort',
]


def main() -> None:
    args, prof, torch = torch_stage(__doc__)
    import onnx
    import torch.nn.functional as F
    from model import BertConfig, BertModel, mean_pool

    started = time.time()
    vocab = load_vocab(os.path.join(args.out, 'tokenizer.json'))
    wp = WordPiece(vocab)
    cfg = BertConfig(vocab_size=len(vocab), **prof['model'])
    model = BertModel(cfg)
    model.load_state_dict(torch.load(os.path.join(args.work, 'finetuned.pt')))
    model.eval()

    with open(os.path.join(args.out, 'config.json'), 'w', encoding='utf-8') as fh:
        json.dump(cfg.hf_config(), fh, indent=2)
        fh.write('\n')

    max_len = prof['finetune']['max_len']
    texts = CHECK_TEXTS + [r['text'] for r in read_jsonl(os.path.join(args.split_dir, 'dev.jsonl'))[:4]]
    seqs = [wp.encode(t, max_len) for t in texts]
    width = max(map(len, seqs))
    ids = torch.tensor([s + [wp.pad_id] * (width - len(s)) for s in seqs])
    attn = (ids != wp.pad_id).long()
    types = torch.zeros_like(ids)

    path = os.path.join(args.out, 'onnx', 'model.onnx')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    dyn = {0: 'batch_size', 1: 'sequence_length'}
    with torch.no_grad():
        torch.onnx.export(model, (ids, attn, types), path, opset_version=14, do_constant_folding=True,
                          input_names=['input_ids', 'attention_mask', 'token_type_ids'],
                          output_names=['last_hidden_state'],
                          dynamic_axes={'input_ids': dyn, 'attention_mask': dyn, 'token_type_ids': dyn,
                                        'last_hidden_state': dyn})
        hidden = model(ids, attn, types)
        emb = F.normalize(mean_pool(hidden, attn), dim=-1)
    onnx.checker.check_model(onnx.load(path))
    log(f'[export] wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB), onnx.checker passed')
    write_json(os.path.join(args.work, 'onnx-check.json'), {
        'texts': texts, 'dims': list(ids.shape), 'input_ids': ids.flatten().tolist(),
        'attention_mask': attn.flatten().tolist(), 'hidden_dims': list(hidden.shape),
        'last_hidden_state': [round(x, 7) for x in hidden.flatten().tolist()],
        'embeddings': [[round(x, 7) for x in row] for row in emb.tolist()],
    })
    write_json(os.path.join(args.work, 'stage-export.json'), {
        'opset': 14, 'onnx_bytes': os.path.getsize(path), 'seconds': round(time.time() - started, 1),
        'torch': torch.__version__, 'onnx': onnx.__version__,
    })


if __name__ == '__main__':
    main()
