#!/usr/bin/env python3
"""Stage: masked-language-model pretraining of the encoder from random initialisation.

The weighted pretraining text (corpus.py) is tokenised, long documents are cut into pieces, the
pieces are repeated by their source weight, shuffled, and packed into sequences of up to seq_len
tokens ([CLS] ... [SEP]; a few shorter ones so short inputs are seen too). Whole-word masking
(15%: 80% [MASK], 10% random token, 10% unchanged), AdamW, linear warm-up and decay, a fixed number
of steps (a wall-clock budget would make the weights depend on the machine's load)."""
from __future__ import annotations

import os
import random
import time

from common import Progress, log, torch_stage, write_json
from corpus import read_sources, weighted_units
from wordpiece import PREFIX, WordPiece, load_vocab


def pack(units: list[list[int]], seq_len: int, short_prob: float, rng: random.Random, cls: int, sep: int) -> list[list[int]]:
    room = seq_len - 2
    out, cur, target = [], [], room
    for u in units:
        if cur and len(cur) + len(u) > target:
            out.append([cls] + cur + [sep])
            cur = []
            target = rng.randint(8, room) if rng.random() < short_prob else room
        cur.extend(u[:room])
    if cur:
        out.append([cls] + cur + [sep])
    return out


def build_sequences(args, prof, wp: WordPiece, rng: random.Random) -> list[list[int]]:
    pt = prof['pretrain']
    room = pt['seq_len'] - 2
    units: list[list[int]] = []
    sources = read_sources(args.corpora, os.path.join(args.split_dir, 'train.jsonl'),
                           prof['corpus']['source_weights'], prof['corpus']['max_lines_per_source'])
    for s in sources:
        pieces = []
        for line in s.lines:
            ids = wp.encode_text(line)
            pieces.extend(ids[i:i + room] for i in range(0, len(ids), room))
        chosen = weighted_units(pieces, s.weight, rng)
        log(f'[pretrain] {s.name}: {len(pieces)} pieces, {sum(map(len, pieces)):,} tokens, '
            f'{sum(map(len, chosen)):,} after weighting')
        units.extend(chosen)
    rng.shuffle(units)
    return pack(units, pt['seq_len'], pt['short_seq_prob'], rng, wp.cls_id, wp.sep_id)


def mask_batch(torch, ids, special, is_cont, vocab_size, prob, gen, mask_id):
    """Whole-word masking: a word is chosen with probability `prob`, and all its pieces with it."""
    start = ~is_cont[ids]
    word_idx = torch.cumsum(start.long(), dim=1) - 1
    r = torch.rand(ids.shape, generator=gen)
    chosen = (r.gather(1, word_idx.clamp(min=0)) < prob) & ~special[ids]
    labels = torch.where(chosen, ids, torch.full_like(ids, -100))
    action = torch.rand(ids.shape, generator=gen)
    random_ids = torch.randint(5, vocab_size, ids.shape, generator=gen)
    inputs = torch.where(chosen & (action < 0.8), torch.full_like(ids, mask_id), ids)
    inputs = torch.where(chosen & (action >= 0.8) & (action < 0.9), random_ids, inputs)
    return inputs, labels


def lr_at(step: int, total: int, warmup: int) -> float:
    if step < warmup:
        return (step + 1) / warmup
    return max(0.0, (total - step) / max(1, total - warmup))


def main() -> None:
    args, prof, torch = torch_stage(__doc__)
    from model import BertConfig, BertModel, MLMHead
    import torch.nn.functional as F

    started = time.time()
    vocab = load_vocab(os.path.join(args.out, 'tokenizer.json'))
    wp = WordPiece(vocab)
    rng = random.Random(args.seed)
    seqs = build_sequences(args, prof, wp, rng)
    pt = prof['pretrain']
    cfg = BertConfig(vocab_size=len(vocab), **prof['model'])
    model = BertModel(cfg)
    head = MLMHead(cfg, model.embeddings.word_embeddings)
    params = {id(p): p for p in list(model.parameters()) + list(head.parameters())}.values()  # tied weights once
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': pt['weight_decay']},
                             {'params': no_decay, 'weight_decay': 0.0}], lr=pt['lr'])
    total, bs = pt['steps'], pt['batch_size']
    warmup = max(1, int(total * pt['warmup']))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: lr_at(s, total, warmup))
    special = torch.zeros(len(vocab), dtype=torch.bool)
    special[[wp.pad_id, wp.unk_id, wp.cls_id, wp.sep_id, wp.mask_id]] = True
    special[wp.unk_id] = False
    is_cont = torch.tensor([t.startswith(PREFIX) for t in vocab])
    gen = torch.Generator().manual_seed(args.seed)
    n_tokens = sum(map(len, seqs))
    log(f'[pretrain] {len(seqs):,} sequences, {n_tokens:,} tokens; {total} steps x {bs} sequences '
        f'= {total * bs / len(seqs):.2f} passes; model {sum(p.numel() for p in model.parameters()):,} parameters')

    order: list[int] = []
    prog = Progress('pretrain', total)
    model.train()
    head.train()
    losses = []
    for step in range(1, total + 1):
        if len(order) < bs:
            perm = list(range(len(seqs)))
            rng.shuffle(perm)
            order.extend(perm)
        batch = [seqs[i] for i in order[:bs]]
        del order[:bs]
        width = max(map(len, batch))
        ids = torch.tensor([s + [wp.pad_id] * (width - len(s)) for s in batch])
        attn = (ids != wp.pad_id).long()
        inputs, labels = mask_batch(torch, ids, special, is_cont, len(vocab), pt['mask_prob'], gen, wp.mask_id)
        hidden = model(inputs, attn, torch.zeros_like(ids))
        sel = labels != -100
        loss = F.cross_entropy(head(hidden[sel]), labels[sel])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(params), pt['clip'])
        opt.step()
        sched.step()
        losses.append(loss.item())
        prog.step(step, sum(losses[-50:]) / len(losses[-50:]), int(attn.sum()))
    torch.save(model.state_dict(), os.path.join(args.work, 'pretrained.pt'))
    write_json(os.path.join(args.work, 'stage-pretrain.json'), {
        'sequences': len(seqs), 'corpus_tokens': n_tokens, 'steps': total, 'batch_size': bs,
        'tokens_seen': prog.tokens, 'passes': round(total * bs / len(seqs), 3),
        'final_loss': round(sum(losses[-50:]) / len(losses[-50:]), 4), 'first_loss': round(losses[0], 4),
        'tokens_per_second': round(prog.tokens / prog.seconds()), 'seconds': round(time.time() - started, 1),
        'parameters': sum(p.numel() for p in model.parameters()),
    })


if __name__ == '__main__':
    main()
