#!/usr/bin/env bash
# The reproducible model build (npm run model:build): corpus check → split → WordPiece vocabulary → MLM pretraining
# → multi-task fine-tuning → ONNX export and checks → TypeScript heads → known outputs → eval →
# model card. See profiles.py for sizes.
#
# usage: bash src/classifier/build/build.sh [--smoke] [--out DIR] [--seed N]
#   --smoke   tiny CI build into a temp folder (or --out); the full build writes models/klachtsignaal-nl
#   KS_CORPORA_DIR  unlabelled Dutch text (default <repo>/../shared/corpora/nl)
#   KS_OVERRIDES    JSON merged into the profile for trial runs, e.g. '{"pretrain":{"steps":100}}'
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
PY=/usr/bin/python3   # Debian's interpreter: that is where python3-torch and python3-onnx live
PROFILE=full OUT="" SEED=1234

while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) PROFILE=smoke ;;
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    --seed) SEED="${2:?--seed needs a number}"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$SEED" =~ ^[0-9]+$ ]] || { echo "build: --seed must be a non-negative integer" >&2; exit 2; }
if [ -z "$OUT" ]; then
  if [ "$PROFILE" = smoke ]; then OUT="$(mktemp -d -t klachtsignaal-smoke.XXXXXX)"; else OUT="$REPO/models/klachtsignaal-nl"; fi
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
CORPORA="${KS_CORPORA_DIR:-$REPO/../shared/corpora/nl}"
[ -d "$CORPORA" ] || { echo "build: no pretraining corpora at $CORPORA (set KS_CORPORA_DIR)" >&2; exit 1; }
CORPORA="$(cd "$CORPORA" && pwd)"

if ! "$PY" -c 'import torch, onnx' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "build: installing python3-torch python3-onnx libopenblas0-pthread" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-torch python3-onnx libopenblas0-pthread >/dev/null
  else
    echo "build: $PY lacks torch/onnx; as root run: apt-get install -y python3-torch python3-onnx libopenblas0-pthread" >&2
    exit 1
  fi
fi

# Fixed threads everywhere: float reductions depend on how work is split between threads.
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 MKL_NUM_THREADS=2 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
WORK="$(mktemp -d -t klachtsignaal-build.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
cd "$REPO"

# The previous build's outputs (the folder may hold nothing else of value, but only these are removed).
rm -rf "$OUT/onnx"
rm -f "$OUT"/{config.json,tokenizer.json,tokenizer_config.json,special_tokens_map.json,vocab.txt,heads.json,lexical.json,examples.bin,examples.json,known-outputs.json,build-info.json,README.md}

BUILD_START=$(date +%s%N)
stage() { # stage NAME command...: runs it, logs and records its wall time
  local name=$1 t0 t1; shift
  echo "== [$name] $(date +%H:%M:%S)" >&2
  t0=$(date +%s%N)
  "$@"
  t1=$(date +%s%N)
  printf '%s %d.%03d\n' "$name" $(((t1 - t0) / 1000000000)) $(((t1 - t0) / 1000000 % 1000)) >>"$WORK/timings.tsv"
  echo "== [$name] done in $(((t1 - t0) / 1000000000)) s" >&2
}
tsx() { "$REPO/node_modules/.bin/tsx" "$@"; }

if [ "$PROFILE" = full ]; then
  SPLIT_DIR="$REPO/fixtures/training"
else
  SPLIT_DIR="$WORK/split"   # smoke builds never rewrite the committed split
fi
LIMIT="$("$PY" "$HERE/profiles.py" "$PROFILE" split.limit)"
ARGS=(--profile "$PROFILE" --out "$OUT" --work "$WORK" --split-dir "$SPLIT_DIR" --corpora "$CORPORA" --seed "$SEED")

# The label contract (taxonomy.md) on every labelled row, with exact-duplicate texts, before anything trains.
stage corpus_check node "$REPO/scripts/corpus-check.mjs" "$REPO"/fixtures/training/parts/*.jsonl >&2
stage split "$PY" "$HERE/split.py" --strict --parts "$REPO/fixtures/training/parts/*.jsonl" --out-dir "$SPLIT_DIR" \
  --limit "$LIMIT" --report "$WORK/split.json"
stage vocab "$PY" "$HERE/vocab.py" "${ARGS[@]}"
stage check_tokenizer tsx "$HERE/check-tokenizer.ts" "$OUT" "$WORK/tokenizer-check.json"
stage pretrain "$PY" "$HERE/pretrain.py" "${ARGS[@]}"
stage finetune "$PY" "$HERE/finetune.py" "${ARGS[@]}"
stage export "$PY" "$HERE/export.py" "${ARGS[@]}"
stage verify_onnx tsx "$HERE/verify-onnx.ts" "$OUT" "$WORK/onnx-check.json" "$WORK/verify.json"
HEADS_SEED="$("$PY" "$HERE/profiles.py" "$PROFILE" heads.seed)"
stage heads tsx src/classifier/cli/train.ts --model "$OUT" --data-dir "$SPLIT_DIR" --seed "$HEADS_SEED" >&2
stage known_outputs tsx "$HERE/known-outputs.ts" "$OUT"
for split in dev test; do
  stage "eval_$split" tsx src/classifier/cli/eval.ts --model "$OUT" --file "$SPLIT_DIR/$split.jsonl" --out "$WORK/eval-$split" >&2
done
BUILD_END=$(date +%s%N)
printf 'total %d.%03d\n' $(((BUILD_END - BUILD_START) / 1000000000)) $(((BUILD_END - BUILD_START) / 1000000 % 1000)) >>"$WORK/timings.tsv"
"$PY" "$HERE/card.py" "${ARGS[@]}" --repo "$REPO"
echo "build: $PROFILE model in $OUT ($(du -sh "$OUT/onnx/model.onnx" | cut -f1) onnx/model.onnx, total $(((BUILD_END - BUILD_START) / 1000000000)) s)" >&2
echo "$OUT"
