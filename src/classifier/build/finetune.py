#!/usr/bin/env python3
"""Stage: multi-task supervised fine-tuning of the pretrained encoder on the TRAIN split.

One linear head per taxonomy field on the L2-normalised mean-pooled output (the same vector the
TypeScript heads see), cross-entropy per field (grievance-scoped fields only on grievances, square-
root class weights, label smoothing), plus an MLM loss on the same batch with a light token mask that
doubles as input noise against memorising phrasings. After every epoch the dev split is scored;
the epoch with the best mean of the headline metrics (grievance F1, category and lodged macro-F1)
is ranked, with early stopping; then the weights of the best epochs are averaged greedily (a
"greedy soup": add the next-best epoch while the dev headline does not drop), which is steadier than
one epoch picked on a few hundred dev posts. Only the encoder is saved: the heads are retrained in
TypeScript."""
from __future__ import annotations

import copy
import math
import os
import random
import time
from collections import Counter

from common import Progress, log, read_jsonl, torch_stage, write_json
from labels import FIELDS
from metrics import field_scores
from pretrain import lr_at, mask_batch
from wordpiece import PREFIX, WordPiece, load_vocab

HEADLINE = ('grievance', 'category', 'lodged')


def targets(rows: list[dict]) -> dict[str, list[int]]:
    """Class index per row and field; -100 where the field does not apply (as for cross-entropy)."""
    out = {}
    for f, labels in FIELDS.items():
        col = []
        for r in rows:
            v = r.get(f)
            v = None if v is None else str(v).lower() if isinstance(v, bool) else v
            col.append(labels.index(v) if v in labels else -100)
        out[f] = col
    return out


def batches(lengths: list[int], bs: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (less padding): shuffle, sort within chunks, shuffle batches."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    chunk = bs * 32
    out = []
    for c in range(0, len(idx), chunk):
        part = sorted(idx[c:c + chunk], key=lambda i: lengths[i])
        out.extend(part[i:i + bs] for i in range(0, len(part), bs))
    rng.shuffle(out)
    return out


def main() -> None:
    args, prof, torch = torch_stage(__doc__)
    import torch.nn.functional as F
    from torch import nn
    from model import BertConfig, BertModel, MLMHead, mean_pool

    started = time.time()
    ft = prof['finetune']
    vocab = load_vocab(os.path.join(args.out, 'tokenizer.json'))
    wp = WordPiece(vocab)
    train = read_jsonl(os.path.join(args.split_dir, 'train.jsonl'))
    dev = read_jsonl(os.path.join(args.split_dir, 'dev.jsonl'))
    enc = lambda rows: [wp.encode(r['text'], ft['max_len']) for r in rows]  # noqa: E731
    train_ids, dev_ids = enc(train), enc(dev)
    y_train, y_dev = targets(train), targets(dev)

    cfg = BertConfig(vocab_size=len(vocab), **prof['model'])
    model = BertModel(cfg)
    model.load_state_dict(torch.load(os.path.join(args.work, 'pretrained.pt')))
    mlm = MLMHead(cfg, model.embeddings.word_embeddings)
    heads = nn.ModuleDict({f: nn.Linear(cfg.hidden_size, len(labels)) for f, labels in FIELDS.items()})
    drop = nn.Dropout(cfg.hidden_dropout_prob)
    scale = math.sqrt(cfg.hidden_size)
    weights = {}
    for f, labels in FIELDS.items():
        c = Counter(v for v in y_train[f] if v >= 0)
        n = sum(c.values())
        weights[f] = torch.tensor([math.sqrt(n / (len(labels) * max(c[k], 1))) for k in range(len(labels))])

    def pooled(ids, attn):
        return F.normalize(mean_pool(model(ids, attn, torch.zeros_like(ids)), attn), dim=-1) * scale

    def tensor(seqs):
        width = max(map(len, seqs))
        ids = torch.tensor([s + [wp.pad_id] * (width - len(s)) for s in seqs])
        return ids, (ids != wp.pad_id).long()

    enc_params = {id(p): p for p in list(model.parameters()) + list(mlm.parameters())}.values()
    decay = lambda ps, yes: [p for p in ps if (p.dim() >= 2) == yes]  # noqa: E731
    opt = torch.optim.AdamW([
        {'params': decay(enc_params, True), 'weight_decay': ft['weight_decay'], 'lr': ft['lr']},
        {'params': decay(enc_params, False), 'weight_decay': 0.0, 'lr': ft['lr']},
        {'params': list(heads.parameters()), 'weight_decay': ft['weight_decay'], 'lr': ft['head_lr']},
    ])
    rng = random.Random(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    per_epoch = math.ceil(len(train) / ft['batch_size'])
    total = per_epoch * ft['max_epochs']
    warmup = max(1, int(total * ft['warmup']))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: lr_at(s, total, warmup))
    special = torch.zeros(len(vocab), dtype=torch.bool)
    special[[wp.pad_id, wp.cls_id, wp.sep_id, wp.mask_id]] = True
    is_cont = torch.tensor([t.startswith(PREFIX) for t in vocab])
    lengths = [len(s) for s in train_ids]
    field_weight = ft.get('field_loss_weights', {})  # e.g. {'category': 2.0}; unset fields weigh 1

    def evaluate() -> dict:
        model.eval()
        heads.eval()
        preds = {f: [] for f in FIELDS}
        with torch.no_grad():
            order = sorted(range(len(dev_ids)), key=lambda i: len(dev_ids[i]))
            out = {}
            for b in range(0, len(order), 64):
                rows = order[b:b + 64]
                ids, attn = tensor([dev_ids[i] for i in rows])
                p = pooled(ids, attn)
                for f in FIELDS:
                    for i, k in zip(rows, heads[f](p).argmax(-1).tolist()):
                        out[(f, i)] = k
            for f in FIELDS:
                preds[f] = [out[(f, i)] for i in range(len(dev_ids))]
        model.train()
        heads.train()
        return {f: field_scores(y_dev[f], preds[f], len(FIELDS[f])) for f in FIELDS}

    def headline_of(scores: dict) -> float:
        return sum(scores[f]['macro_f1'] if f != 'grievance' else scores[f]['f1'] for f in HEADLINE) / len(HEADLINE)

    def average_into_model(snaps: list[dict]) -> None:
        for part, module in (('model', model), ('heads', heads)):
            module.load_state_dict({k: sum(s[part][k] for s in snaps) / len(snaps) for k in snaps[0][part]})

    log(f'[finetune] {len(train)} train, {len(dev)} dev posts; up to {ft["max_epochs"]} epochs x {per_epoch} steps')
    prog = Progress('finetune', total)
    best, bad, history, snapshots, step = -1.0, 0, [], [], 0
    model.train()
    for epoch in range(1, ft['max_epochs'] + 1):
        losses = []
        for rows in batches(lengths, ft['batch_size'], rng):
            step += 1
            ids, attn = tensor([train_ids[i] for i in rows])
            inputs, labels = mask_batch(torch, ids, special, is_cont, len(vocab), ft['mask_prob'], gen, wp.mask_id)
            hidden = model(inputs, attn, torch.zeros_like(ids))
            p = drop(F.normalize(mean_pool(hidden, attn), dim=-1) * scale)
            loss = 0.0
            for f in FIELDS:
                y = torch.tensor([y_train[f][i] for i in rows])
                if (y >= 0).any():
                    loss = loss + field_weight.get(f, 1.0) * F.cross_entropy(
                        heads[f](p), y, weight=weights[f], ignore_index=-100, label_smoothing=ft['label_smoothing'])
            sel = labels != -100
            if sel.any() and ft['mlm_weight'] > 0:
                loss = loss + ft['mlm_weight'] * F.cross_entropy(mlm(hidden[sel]), labels[sel])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(enc_params) + list(heads.parameters()), ft['clip'])
            opt.step()
            sched.step()
            losses.append(loss.item())
            prog.step(step, sum(losses[-50:]) / len(losses[-50:]), int(attn.sum()), f'epoch {epoch}')
        scores = evaluate()
        headline = headline_of(scores)
        history.append({'epoch': epoch, 'train_loss': round(sum(losses) / len(losses), 4),
                        'dev_headline': round(headline, 4), 'dev': scores})
        log(f'[finetune] epoch {epoch}: train loss {history[-1]["train_loss"]:.4f}, dev headline {headline:.4f} | '
            + ' '.join(f'{f} {scores[f]["f1"] if len(FIELDS[f]) == 2 else scores[f]["macro_f1"]:.3f}' for f in FIELDS))
        snapshots.append({'epoch': epoch, 'headline': headline,
                          'model': copy.deepcopy(model.state_dict()), 'heads': copy.deepcopy(heads.state_dict())})
        if headline > best:
            best, bad = headline, 0
        else:
            bad += 1
            if bad >= ft['patience']:
                log(f'[finetune] no dev improvement for {bad} epochs: stopping')
                break
    ranked = sorted(snapshots, key=lambda s: (-s['headline'], s['epoch']))
    soup, soup_headline = ranked[:1], ranked[0]['headline']
    for candidate in ranked[1:]:
        average_into_model(soup + [candidate])
        trial = headline_of(evaluate())
        log(f'[finetune] soup of epochs {sorted(s["epoch"] for s in soup + [candidate])}: dev headline {trial:.4f}')
        if trial >= soup_headline:
            soup, soup_headline = soup + [candidate], trial
    average_into_model(soup)
    soup_epochs = sorted(s['epoch'] for s in soup)
    log(f'[finetune] keeping the average of epochs {soup_epochs} (dev headline {soup_headline:.4f}; '
        f'best single epoch {ranked[0]["epoch"]}: {ranked[0]["headline"]:.4f})')
    torch.save(model.state_dict(), os.path.join(args.work, 'finetuned.pt'))
    write_json(os.path.join(args.work, 'stage-finetune.json'), {
        'train': len(train), 'dev': len(dev), 'steps': step, 'steps_per_epoch': per_epoch,
        'epochs_run': len(history), 'best_epoch': ranked[0]['epoch'], 'best_epoch_dev_headline': round(best, 4),
        'averaged_epochs': soup_epochs, 'best_dev_headline': round(soup_headline, 4),
        'history': history, 'tokens_per_second': round(prog.tokens / prog.seconds()),
        'seconds': round(time.time() - started, 1),
    })


if __name__ == '__main__':
    main()
