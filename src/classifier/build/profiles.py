"""Build profiles: every size and hyperparameter of a build, in one place (recorded in build-info.json).

full:  the committed model. Sized for 2 shared cores (about 1,100 tokens/s for this model): about
       10 min of MLM pretraining and up to about 30 min of fine-tuning (8 epochs over ~4,700 posts;
       fine-tuning moves the dev scores far more than pretraining at this budget); an ONNX file of
       about 23 MB.
smoke: for CI and tests; tiny, finishes in well under a minute of training.
"""
from __future__ import annotations

import copy

# Pretraining mix: expected number of passes over each source. The social-media-like sources and
# the train-split posts are repeated, the 2M-word OCR of old parliamentary papers is sampled thinly
# (formal register, OCR noise), so the vocabulary and the MLM steps lean towards informal Dutch.
SOURCE_WEIGHTS = {
    'mhc-hatecheck-nl': 2.0,
    'xed-subtitles-nl': 2.0,
    'tatoeba-nl': 1.0,
    'commonvoice-nl': 1.0,
    'tk-handelingen-2018': 1.0,
    'flores-ntrex-nl': 1.0,
    'ud-dutch': 1.0,
    'sgd-parliament-ocr-1947-1995': 0.08,
    'train-split': 4.0,
}

FULL = {
    'name': 'full',
    'model': {'hidden_size': 256, 'num_hidden_layers': 4, 'num_attention_heads': 4, 'intermediate_size': 1024,
              'max_position_embeddings': 256, 'hidden_dropout_prob': 0.1, 'attention_probs_dropout_prob': 0.1},
    'vocab': {'size': 10000, 'min_frequency': 3, 'alphabet_min_count': 20},
    'corpus': {'max_lines_per_source': 0, 'source_weights': SOURCE_WEIGHTS},
    'split': {'limit': 0},
    'pretrain': {'seq_len': 128, 'batch_size': 16, 'steps': 420, 'lr': 5e-4, 'warmup': 0.06, 'weight_decay': 0.01,
                 'mask_prob': 0.15, 'short_seq_prob': 0.1, 'clip': 1.0},
    'finetune': {'max_len': 256, 'batch_size': 16, 'max_epochs': 8, 'patience': 3, 'lr': 4e-4, 'head_lr': 2e-3,
                 'warmup': 0.1, 'weight_decay': 0.01, 'label_smoothing': 0.1, 'mask_prob': 0.1, 'mlm_weight': 0.1,
                 'clip': 1.0},
    'heads': {'seed': 42},
}

SMOKE = copy.deepcopy(FULL)
SMOKE.update({
    'name': 'smoke',
    'model': {'hidden_size': 64, 'num_hidden_layers': 1, 'num_attention_heads': 2, 'intermediate_size': 128,
              'max_position_embeddings': 64, 'hidden_dropout_prob': 0.1, 'attention_probs_dropout_prob': 0.1},
    'vocab': {'size': 2000, 'min_frequency': 2, 'alphabet_min_count': 3},
    'corpus': {'max_lines_per_source': 60, 'source_weights': SOURCE_WEIGHTS},
    'split': {'limit': 300},
})
SMOKE['pretrain'].update({'seq_len': 64, 'batch_size': 8, 'steps': 30})
SMOKE['finetune'].update({'max_len': 64, 'batch_size': 16, 'max_epochs': 1, 'patience': 1})

PROFILES = {'full': FULL, 'smoke': SMOKE}

if __name__ == '__main__':   # for build.sh: python3 profiles.py smoke split.limit (KS_OVERRIDES applied)
    import sys
    from common import profile
    value = profile(sys.argv[1])
    for key in sys.argv[2].split('.'):
        value = value[key]
    print(value)
