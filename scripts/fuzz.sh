#!/usr/bin/env bash
# Runs each libFuzzer target for a bounded time on a seed corpus built from
# real files (ONNX node tests, the shared models' tensors). Fails on any crash.
set -euo pipefail
BUILD=${1:-build-fuzz}
SECS=${2:-60}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/models" "$WORK/tensors"
TESTDATA=/usr/share/libonnx-testdata/data/node
i=0
for d in "$TESTDATA"/test_*; do
  i=$((i + 1))
  [ $((i % 8)) -eq 0 ] || continue          # a spread of ~115 small node-test models
  cp "$d/model.onnx" "$WORK/models/$(basename "$d").onnx"
  cp "$d/test_data_set_0/input_0.pb" "$WORK/tensors/$(basename "$d")_in.pb" 2>/dev/null || true
done
SHARED="$(dirname "$0")/../../shared/models"
if [ -d "$SHARED" ]; then
  for d in "$SHARED"/*/; do
    f="$d/test_data_set_0/input_0.pb"
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 200000 ] && cp "$f" "$WORK/tensors/$(basename "$d")_in.pb"
  done
  cp "$SHARED/mnist_8/model.onnx" "$WORK/models/mnist_8.onnx"
fi
# .npy seeds: outputs the CLI writes for two node-test models.
for t in test_relu test_argmax_default_axis_example; do
  "$BUILD/edgewise" run "$TESTDATA/$t/model.onnx" --check "$TESTDATA/$t/test_data_set_0" \
    --output-dir "$WORK/npy_$t" >/dev/null 2>&1 || true
  cp "$WORK/npy_$t"/*.npy "$WORK/tensors/" 2>/dev/null || true
done

# Inputs that once crashed a target are seeds too (and a test replays them).
REGRESSIONS="$(cd "$(dirname "$0")/.." && pwd)/fuzz/regressions"

run() {
  local target=$1 corpus=$2
  if [ -d "$REGRESSIONS/$target" ]; then cp "$REGRESSIONS/$target"/* "$corpus/" 2>/dev/null || true; fi
  echo "fuzz: $target for ${SECS}s on $(ls "$corpus" | wc -l) seeds"
  set +e
  "$BUILD/fuzz/$target" "$corpus" -max_total_time="$SECS" -timeout=20 -rss_limit_mb=3072 \
    -max_len=262144 -print_final_stats=1 -artifact_prefix="$WORK/" > "$WORK/$target.log" 2>&1
  local rc=$?
  set -e
  tail -n 8 "$WORK/$target.log"
  if [ "$rc" -ne 0 ]; then
    echo "fuzz: $target FAILED (exit $rc); reproducer:"; ls "$WORK"/crash-* "$WORK"/timeout-* "$WORK"/oom-* 2>/dev/null || true
    # Kept beside the target as a regression to fix and replay (tests/fuzz/regressions_test.cc).
    mkdir -p "$REGRESSIONS/$target" && cp "$WORK"/crash-* "$WORK"/timeout-* "$WORK"/oom-* "$REGRESSIONS/$target/" 2>/dev/null || true
    exit 1
  fi
}
# IDX seeds (the head of Fashion-MNIST's test labels, a tiny file); .npz structure is found by the fuzzer.
mkdir -p "$WORK/datasets"
FM=/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
if [ -f "$FM" ]; then (zcat "$FM" | head -c 200 > "$WORK/datasets/labels.idx") || true; fi
printf '\x00\x00\x08\x01\x00\x00\x00\x03abc' > "$WORK/datasets/tiny.idx"
run model_loader_fuzz "$WORK/models"
run tensor_reader_fuzz "$WORK/tensors"
run dataset_reader_fuzz "$WORK/datasets"
# JSON seeds: the bundled device profiles.
mkdir -p "$WORK/json"
cp "$(dirname "$0")"/../data/devices/*.json "$WORK/json/"
# ... and a kernel-samples file and a fitted latency model, from a tiny model.
"$BUILD/edgewise" make-model mobilenet --resolution 32 -o "$WORK/tiny.onnx" >/dev/null 2>&1 &&
  "$BUILD/edgewise" latency-model collect "$WORK/tiny.onnx" --rounds 1 --runs 1 -o "$WORK/json/samples.json" >/dev/null 2>&1 &&
  "$BUILD/edgewise" latency-model fit --samples "$WORK/json/samples.json" -o "$WORK/json/latency_model.json" >/dev/null 2>&1 || true
# ... and a few tuning-cache files the test run wrote (measured backend choices).
for f in $(ls "$BUILD"/tuning-cache/*.json 2>/dev/null | head -n 3); do cp "$f" "$WORK/json/"; done
run config_json_fuzz "$WORK/json"
# Model specs: the bundled ones.
mkdir -p "$WORK/specs" "$WORK/ckpt_seeds"
cp "$(dirname "$0")"/../data/specs/*.json "$WORK/specs/"
run model_spec_fuzz "$WORK/specs"
# Training checkpoints: two from a tiny run.
"$BUILD/edgewise" train "$(dirname "$0")"/../data/specs/fashion_mlp.json --dataset fashion-mnist --train-count 64 \
  --batch-size 16 --max-steps 2 --checkpoint-every 1 --checkpoint "$WORK/ckpt" --no-test -o "$WORK/t.onnx" >/dev/null 2>&1 &&
  cp "$WORK"/ckpt/*.ewck "$WORK/ckpt_seeds/" || printf 'EWCK' > "$WORK/ckpt_seeds/stub"
run checkpoint_reader_fuzz "$WORK/ckpt_seeds"
echo "fuzz: 6 passed, 0 failed"
