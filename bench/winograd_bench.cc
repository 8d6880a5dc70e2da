// Winograd F(4x4, 3x3) Conv vs the reference Conv kernel and XNNPACK's
// direct convolution on ResNet-18's 3x3 stride-1 layers (batch 1), at 1 and 2
// threads. Effective GFLOP/s count direct-convolution FLOPs, 2·Cout·Cin·9·H·W.
// Also prints Winograd's error against the reference on ResNet-like data
// (weights ~ N(0, 2/fan_in), inputs post-ReLU).
//
//   winograd_bench [--quick] [--all]
//     --quick: fewer repetitions; --all: also layers that probe the limits of
//     prepare (few channels, few tiles). Layers prepare declines are still
//     timed, with the kernel built directly, to show why.
#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>

#include "bench_timing.h"

#include "ops/nn/winograd_conv.h"

namespace ew {
namespace {

struct Layer {
  int64_t channels, size;
};

std::vector<float> random_vector(size_t n, double stddev, bool relu, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, static_cast<float>(stddev));
  std::vector<float> v(n);
  for (float& x : v) x = relu ? std::max(dist(rng), 0.0f) : dist(rng);
  return v;
}

Tensor tensor_of(const Shape& shape, const std::vector<float>& v) { return Tensor::from_vector<float>(shape, v).value(); }

double time_ms(const std::function<void()>& fn, double budget_ms, bool cpu_time) {
  return microbench::time_ms(fn, budget_ms, cpu_time, 3, 200);
}

struct Conv {
  Node node;
  Tensor x, w, b;
  Shape y_shape;
};

Conv make_conv(const Layer& l) {
  const int64_t c = l.channels, s = l.size;
  Conv conv;
  conv.node.name = "bench_conv";
  conv.node.op_type = "Conv";
  conv.node.inputs = {"x", "w", "b"};
  conv.node.outputs = {"y"};
  conv.node.attributes["pads"] = Attribute::make_ints({1, 1, 1, 1});
  conv.x = tensor_of({1, c, s, s}, random_vector(c * s * s, 1.0, true, 1));
  conv.w = tensor_of({c, c, 3, 3}, random_vector(c * c * 9, std::sqrt(2.0 / (9.0 * c)), false, 2));
  conv.b = tensor_of({c}, random_vector(c, 0.1, false, 3));
  conv.y_shape = {1, c, s, s};
  return conv;
}

// Whether the registered prepare takes this layer.
bool accepted(const Conv& conv, pthreadpool_t pool) {
  PrepareContext ctx{conv.node, 11,
                     {ValueType::of(DType::kFloat32, conv.x.shape()), ValueType::of(DType::kFloat32, conv.w.shape()),
                      ValueType::of(DType::kFloat32, conv.b.shape())},
                     {nullptr, &conv.w, &conv.b},
                     {ValueType::of(DType::kFloat32, conv.y_shape)},
                     pool};
  auto r = prepare_winograd_conv(ctx, false);
  return r.is_ok() && r.value() != nullptr;
}

// The Winograd kernel built directly, also for layers prepare declines.
std::unique_ptr<PreparedKernel> make_forced(const Conv& conv, size_t threads) {
  WinogradConvParams p;
  p.batch = 1;
  p.cin = p.cout = conv.x.dim(1);
  p.height = p.width = p.out_height = p.out_width = conv.x.dim(2);
  p.pad_top = p.pad_left = 1;
  p.weights = conv.w.data<float>();
  p.bias = conv.b.data<float>();
  p.threads = threads;
  return make_winograd_conv(p, *winograd_kernels_best()).value();
}

Status run(const Conv& conv, KernelFn reference, PreparedKernel* fast, pthreadpool_t pool, Tensor* y) {
  std::vector<Tensor> outputs{*y};
  KernelContext ctx(conv.node, 11, {&conv.x, &conv.w, &conv.b}, &outputs, nullptr, pool);
  return fast ? fast->run(ctx) : reference(ctx);
}

// XNNPACK's convolution on the same layer in NHWC; returns ms (median).
double time_xnnpack(const Conv& conv, pthreadpool_t pool, double budget_ms) {
  const int64_t c = conv.x.dim(1), s = conv.x.dim(2);
  std::vector<float> w_ohwi(c * c * 9);
  const float* w = conv.w.data<float>();
  for (int64_t o = 0; o < c; ++o)
    for (int64_t i = 0; i < c; ++i)
      for (int64_t k = 0; k < 9; ++k) w_ohwi[(o * 9 + k) * c + i] = w[(o * c + i) * 9 + k];
  std::vector<float> x(c * s * s), y(c * s * s);
  xnn_operator_t op = nullptr;
  if (xnn_create_convolution2d_nhwc_f32(1, 1, 1, 1, 3, 3, 1, 1, 1, 1, 1, c, c, c, c, w_ohwi.data(),
                                        conv.b.data<float>(), -INFINITY, INFINITY, 0, &op) != xnn_status_success)
    return NAN;
  xnn_setup_convolution2d_nhwc_f32(op, 1, s, s, x.data(), y.data(), pool);
  double ms = time_ms([&] { xnn_run_operator(op, pool); }, budget_ms, pool == nullptr);
  xnn_delete_operator(op);
  return ms;
}

void error_stats(const Tensor& a, const Tensor& ref, double* max_abs, double* rel) {
  double mag = 0.0;
  *max_abs = 0.0;
  for (int64_t i = 0; i < ref.numel(); ++i) {
    *max_abs = std::max(*max_abs, std::abs(double(a.data<float>()[i]) - ref.data<float>()[i]));
    mag = std::max(mag, std::abs(double(ref.data<float>()[i])));
  }
  *rel = *max_abs / mag;
}

int bench(bool quick, bool all) {
  if (xnn_initialize(nullptr) != xnn_status_success) return 1;
  const double budget = quick ? 100.0 : 600.0;
  pthreadpool_t pool2 = pthreadpool_create(2);
  KernelFn reference = OpRegistry::find("", "Conv", 11)->run;
  std::printf("winograd kernels: %s\n", winograd_kernels_best()->isa);
  std::printf("%-14s %3s %11s %11s %11s %11s %10s %10s %8s\n", "layer", "thr", "ref ms", "xnnpack ms", "winograd ms",
              "GFLOP/s x|w", "max|err|", "rel err", "prepare");
  std::vector<Layer> layers{{64, 56}, {128, 28}, {256, 14}, {512, 7}};
  if (all) layers.insert(layers.end(), {{16, 56}, {32, 56}, {16, 112}, {256, 7}, {512, 14}});
  for (Layer l : layers) {
    Conv conv = make_conv(l);
    const double flops = 2.0 * l.channels * l.channels * 9 * l.size * l.size;
    Tensor ref = Tensor::create(DType::kFloat32, conv.y_shape).value();
    Tensor y = Tensor::create(DType::kFloat32, conv.y_shape).value();
    double ref_ms = time_ms([&] { (void)run(conv, reference, nullptr, nullptr, &ref); }, quick ? 1 : 300, true);
    for (int threads : {1, 2}) {
      pthreadpool_t pool = threads == 1 ? nullptr : pool2;
      auto fast = make_forced(conv, threads);
      double xnn_ms = time_xnnpack(conv, pool, budget);
      double wino_ms = time_ms([&] { (void)run(conv, nullptr, fast.get(), pool, &y); }, budget, pool == nullptr);
      double max_abs, rel;
      error_stats(y, ref, &max_abs, &rel);
      char name[32];
      std::snprintf(name, sizeof name, "%ldch %ldx%ld", long(l.channels), long(l.size), long(l.size));
      std::printf("%-14s %3d %11.3f %11.3f %11.3f %5.0f|%-5.0f %10.2e %10.2e %8s\n", name, threads,
                  threads == 1 ? ref_ms : NAN, xnn_ms, wino_ms, flops / xnn_ms / 1e6, flops / wino_ms / 1e6, max_abs,
                  rel, accepted(conv, pool) ? "takes" : "declines");
    }
  }
  pthreadpool_destroy(pool2);
  return 0;
}

}  // namespace
}  // namespace ew

int main(int argc, char** argv) {
  bool quick = false, all = false;
  for (int i = 1; i < argc; ++i) {
    quick |= std::strcmp(argv[i], "--quick") == 0;
    all |= std::strcmp(argv[i], "--all") == 0;
  }
  return ew::bench(quick, all);
}
