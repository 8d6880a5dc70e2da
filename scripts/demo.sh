#!/usr/bin/env bash
# The end-to-end tour behind `make demo`. Grows with every capability.
set -euo pipefail
BUILD=${1:-build}
EW="$BUILD/edgewise"
OUT="$BUILD/demo"
SHARED="$(cd "$(dirname "$0")/.." && pwd)/../shared/models"
mkdir -p "$OUT"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Build the bundled MobileNetV2-style model" \
  "$EW" make-model mobilenet -o "$OUT/mobilenet.onnx" --resolution 96 --classes 10
step "Inspect it: inputs, outputs, parameters, MACs, ops" \
  "$EW" info "$OUT/mobilenet.onnx"
step "Run it at batch 1 on deterministic random input, save outputs as .npy" \
  "$EW" run "$OUT/mobilenet.onnx" --output-dir "$OUT/outputs"
step "The same session shape-binds N=4 without reloading" \
  "$EW" run "$OUT/mobilenet.onnx" --dims N=4
step "Optimize it (O2: constant folding, Conv+BN / bias / activation fusion) into ONNX other runtimes load" \
  "$EW" optimize "$OUT/mobilenet.onnx" -o "$OUT/mobilenet.opt.onnx"
step "Benchmark it: init, first run, latency percentiles, peak RSS, memory plan, per-op profile" \
  "$EW" bench "$OUT/mobilenet.onnx" --runs 50 --min-secs 0.5 --profile --trace "$OUT/trace.json"
echo "(Chrome trace of the timed runs: $OUT/trace.json — open it in ui.perfetto.dev)"

if [ -d "$SHARED" ]; then
  echo
  echo "== Real models from ../shared/models, checked against their reference outputs"
  for m in mnist_8 fashion_mbnet fashion_resnet mobilenetv2_12_int8 ic_quantized_int8 super_resolution_10 tiny_bert_op17_random; do
    [ -d "$SHARED/$m" ] || continue
    for set in "$SHARED/$m"/test_data_set_*; do
      printf '\n$ %s\n' "edgewise run $m/model.onnx --check $(basename "$set")"
      "$EW" run "$SHARED/$m/model.onnx" --check "$set" | grep -E "^(check|ran)" || true
    done
  done
  if [ -d "$SHARED/fashion_mbnet" ] && [ -d /usr/share/datasets/fashion-mnist ]; then
    M="$SHARED/fashion_mbnet/model.onnx"
    step "Quantize fashion_mbnet to static INT8 (QDQ, per-channel, S8S8) calibrated on 512 Fashion-MNIST images" \
      "$EW" quantize "$M" -o "$OUT/fashion_mbnet.s8.onnx" --mode static --dataset fashion-mnist --calib-count 512
    step "Top-1 on the 10,000 test images: fp32 against INT8 (agreement, output KL)" \
      "$EW" eval "$M" --dataset fashion-mnist --compare "$OUT/fashion_mbnet.s8.onnx"
    step "Which layers are sensitive to INT8 (one layer at a time), and per-layer SQNR of the INT8 model" \
      "$EW" quantize "$M" -o "$OUT/unused.onnx" --analyze --dataset fashion-mnist --calib-count 128 --analyze-samples 64
    step "fp32 against INT8 speed (INT8 runs integer kernels: VNNI GEMM, depthwise, QGemm), with an HTML report" \
      "$EW" bench "$OUT/fashion_mbnet.s8.onnx" --dims N=1 --runs 200 --min-secs 0.5 --report "$OUT/bench_fashion_mbnet_s8.html"
    S8="$OUT/fashion_mbnet.s8.onnx"
    for d in raspberry_pi_4 phone_midrange jetson_agx_orin; do
      step "fp32 or INT8 on $d: predicted latency, energy and memory, top-1 on 2,000 test images, and the pick" \
        "$EW" select --variants "$M,$S8" --device "$d" --dataset fashion-mnist --eval-count 2000 --explain \
        --report "$OUT/select_$d.html"
    done
    step "An MCU-class board (1 MiB SRAM) with a 5 ms latency budget: fp32 is rejected" \
      "$EW" select --variants "$M,$S8" --device mcu --max-latency-ms 5 --dataset fashion-mnist --eval-count 2000 --explain
    step "On this host the same choice uses measured latency" \
      "$EW" select --variants "$M,$S8" --device host --dataset fashion-mnist --eval-count 2000
    ACC=$("$EW" eval "$M" --dataset fashion-mnist --compare "$S8" --json 2>/dev/null |
      sed -n 's/.*"\(compare_\)\{0,1\}top1": \([0-9.]*\).*/\2/p' | tr '\n' ',' | sed 's/,$//')
    step "15 minutes of back-to-back inference on a bare Raspberry Pi 4 (simulated): throttling, recovery, INT8 while hot" \
      "$EW" bench "$M" --device raspberry_pi_4 --sustained 900 --fallback "$S8" --accuracy "$(echo "$ACC" | awk -F, '{print $2","$1}')" \
      --table-every 90 --report "$OUT/sustained_raspberry_pi_4.html"
    echo "(HTML reports with charts: $OUT/*.html)"
  fi
  if [ -d /usr/share/datasets/fashion-mnist ]; then
    rm -rf "$OUT/train_ckpt"
    step "Train a small MobileNetV2-style network (a JSON spec) on Fashion-MNIST from scratch: AdamW, one-cycle schedule, checkpoints" \
      "$EW" train data/specs/fashion_cnn.json --dataset fashion-mnist --train-count 12000 --epochs 2 --batch-size 64 \
      --lr 3e-3 --schedule onecycle --checkpoint "$OUT/train_ckpt" --report "$OUT/train_fashion_cnn.html" -o "$OUT/fashion_cnn.onnx"
    T="$OUT/fashion_cnn.onnx"
    step "Quantize the model it trained (static INT8, the accuracy guard on)" \
      "$EW" quantize "$T" -o "$OUT/fashion_cnn.s8.onnx" --dataset fashion-mnist --calib-count 256
    step "Predict both on a Raspberry Pi 4 and pick one under a 20 ms budget" \
      "$EW" select --variants "$T,$OUT/fashion_cnn.s8.onnx" --device raspberry_pi_4 --max-latency-ms 20 \
      --dataset fashion-mnist --eval-count 2000
    if [ -d "$SHARED/fashion_mbnet" ]; then
      step "On-device personalisation: fine-tune only fashion_mbnet's head (fc.*) on the four upper-body classes a user sees" \
        "$EW" train "$SHARED/fashion_mbnet/model.onnx" --dataset fashion-mnist --classes 0,2,4,6 --train-only 'fc.*' \
        --train-count 6000 --epochs 1 --lr 3e-3 -o "$OUT/fashion_mbnet.personal.onnx"
    fi
    if [ -d "$SHARED/fashion_resnet" ]; then
      step "Distil fashion_resnet (676 K parameters) into the small network's spec: teacher logits cached on disk, every stage measured" \
        "$EW" distill --teacher "$SHARED/fashion_resnet/model.onnx" --student data/specs/fashion_cnn.json \
        --dataset fashion-mnist --train-count 6000 --epochs 2 --lr 3e-3 --schedule onecycle --threads 2 \
        --teacher-cache "$OUT/teacher_logits" --device raspberry_pi_4 --report "$OUT/distill.html" -o "$OUT/fashion_cnn.distilled.onnx"
    fi
  fi
  if [ -d "$SHARED/mnist_8" ]; then
    step "An opset-8 export (MNIST, CNTK) converted to opset 17 and checked by the ONNX checker" \
      "$EW" optimize "$SHARED/mnist_8/model.onnx" -o "$OUT/mnist.op17.onnx" --target-opset 17 --level O0
    step "Quantized as it is: upgraded to the opset QDQ needs first, then the accuracy guard measures the output" \
      "$EW" quantize "$SHARED/mnist_8/model.onnx" -o "$OUT/mnist.s8.onnx" --calib "$SHARED/mnist_8"
  fi
  if [ -d "$SHARED/tiny_bert_op17_random" ]; then
    B="$SHARED/tiny_bert_op17_random"
    step "tiny BERT: dynamic INT8 (MatMulInteger, fused to DynamicQuantizeMatMul at load)" \
      "$EW" quantize "$B/model.onnx" -o "$OUT/tiny_bert.dynamic.onnx" --mode dynamic
    step "tiny BERT: block-wise INT4 weights (com.microsoft::MatMulNBits, block 32)" \
      "$EW" quantize "$B/model.onnx" -o "$OUT/tiny_bert.int4.onnx" --mode int4 --block-size 32
    step "tiny BERT: mixed precision {4, 8, float} under a 800 kB size budget, rule and greedy side by side" \
      "$EW" quantize "$B/model.onnx" -o "$OUT/tiny_bert.mixed.onnx" --mode dynamic --mixed --size-budget 800000 --calib "$B"
  fi
  if [ -d "$SHARED/resnet18_random" ]; then
    R="$SHARED/resnet18_random/model.onnx"
    step "ResNet-18 (1.8 GMACs), one thread: each part of the graph runs on the backend measured fastest for it here
   (oneDNN, XNNPACK, our Winograd kernels; the choice is cached, so later loads skip the measuring)" \
      "$EW" bench "$R" --runs 20 --min-secs 0.5 --profile
    for b in onednn xnnpack ours; do
      step "ResNet-18 with one backend forced: $b" "$EW" bench "$R" --runs 10 --min-secs 0.3 --backend "$b"
    done
    step "bf16 arithmetic where the CPU has it (AVX512-BF16 / AMX; elsewhere it says so and runs fp32)" \
      "$EW" bench "$R" --runs 10 --min-secs 0.3 --precision bf16
  fi
  if [ -d "$SHARED/squeezenet1_1_random" ]; then
    step "SqueezeNet: its fire modules' convolutions write straight into their concatenation (no Concat copies)" \
      "$EW" bench "$SHARED/squeezenet1_1_random/model.onnx" --runs 20 --min-secs 0.5 --backend onednn
  fi
else
  echo "(../shared/models not found: skipping the tour of real models)"
fi

step "Know the device: ISA, cores, caches, memory, DVFS, power, thermal, energy counters (this machine)" \
  "$EW" device
step "The same readers on a Raspberry Pi 4 sysfs fixture tree" \
  "$EW" device --root tests/device/fixtures/raspberry_pi_4
step "Bundled device profiles (every number cites its source)" \
  "$EW" device --profiles
if [ -d "$SHARED/resnet18_random" ]; then
  for d in raspberry_pi_4 jetson_agx_orin; do
    step "Roofline latency and energy of ResNet-18 on $d" \
      "$EW" predict "$SHARED/resnet18_random/model.onnx" --device "$d" --top 3
  done
  step "Learn this host's latency per kernel (nn-Meter style): time every executed step of the shared models and 100 sampled kernels" \
    "$EW" latency-model collect "$SHARED" --kernels 100 --rounds 2 --runs 5 -o "$OUT/kernel_samples.json"
  step "How well it predicts models it never saw (leave-one-model-out; a quick, noisy collection)" \
    "$EW" latency-model eval --samples "$OUT/kernel_samples.json" --loo --train-only 'kernel_*'
  step "Fit it on everything and predict ResNet-18 on this host with it" \
    "$EW" latency-model fit --samples "$OUT/kernel_samples.json" -o "$OUT/latency_model.json"
  step "Calibrated latency of ResNet-18 on this host, per step" "$EW" predict "$SHARED/resnet18_random/model.onnx" --method calibrated --latency-model "$OUT/latency_model.json" --top 3
fi

step "ONNX backend node-test conformance (Debian's libonnx-testdata)" \
  "$EW" conformance --skip-list tests/conformance_skip.txt
