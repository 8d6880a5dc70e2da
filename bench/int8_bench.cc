// Int8 QLinearConv kernels (src/ops/quant/fast, AVX-512 VNNI, NCHW) vs
// XNNPACK's qc8 convolution (int8, per-channel weights, NHWC; Debian's
// 2022-02 build has no VNNI kernels) and the reference kernel, on MobileNetV2
// and ResNet-18 layer shapes (batch 1). GOPS count 2 * MACs.
//
//   int8_bench [--quick] [--threads N] [LAYER_SUBSTRING]
#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>

#include "bench_timing.h"

#include "ops/op.h"
#include "ops/quant/fast/int8_gemm.h"

namespace ew {
namespace {

struct Layer {
  const char* name;
  int64_t c, h, w, m, k, stride, group;
};

const Layer kLayers[] = {
    {"mbv2 stem", 3, 224, 224, 32, 3, 2, 1},       {"mbv2 dw112", 32, 112, 112, 32, 3, 1, 32},
    {"mbv2 pw16-96", 16, 112, 112, 96, 1, 1, 1},   {"mbv2 dw96s2", 96, 112, 112, 96, 3, 2, 96},
    {"mbv2 pw144-24", 144, 56, 56, 24, 1, 1, 1},   {"mbv2 pw24-144", 24, 56, 56, 144, 1, 1, 1},
    {"mbv2 dw144", 144, 56, 56, 144, 3, 1, 144},   {"mbv2 pw96-576", 96, 14, 14, 576, 1, 1, 1},
    {"mbv2 dw960", 960, 7, 7, 960, 3, 1, 960},     {"mbv2 pw320-1280", 320, 7, 7, 1280, 1, 1, 1},
    {"r18 stem7x7", 3, 224, 224, 64, 7, 2, 1},     {"r18 3x3 64", 64, 56, 56, 64, 3, 1, 1},
    {"r18 3x3 128", 128, 28, 28, 128, 3, 1, 1},    {"r18 3x3 256", 256, 14, 14, 256, 3, 1, 1},
    {"r18 3x3 512", 512, 7, 7, 512, 3, 1, 1},
};

double time_ms(const std::function<void()>& fn, double budget_ms, bool cpu_time) {
  return microbench::time_ms(fn, budget_ms, cpu_time, 5, 300);
}

Tensor random_tensor(DType t, const Shape& shape, uint32_t seed) {
  Tensor r = Tensor::create(t, shape).value();
  std::mt19937 rng(seed);
  auto* p = static_cast<uint8_t*>(r.raw());
  for (int64_t i = 0; i < r.numel() * static_cast<int64_t>(dtype_size(t)); ++i) p[i] = static_cast<uint8_t>(rng());
  return r;
}

Tensor scalar(DType t, double v) {
  Tensor r = Tensor::create(t, {}).value();
  if (t == DType::kFloat32) *r.data<float>() = static_cast<float>(v);
  else if (t == DType::kInt8) *r.data<int8_t>() = static_cast<int8_t>(v);
  else *r.data<uint8_t>() = static_cast<uint8_t>(v);
  return r;
}

int64_t out_size(const Layer& l, int64_t in) { return (in + 2 * (l.k / 2) - l.k) / l.stride + 1; }

struct ConvNode {
  Node node;
  std::vector<Tensor> inputs;
  Tensor y;
};

// QLinearConv with int8 activations and per-channel int8 weights (what XNNPACK's qc8 takes).
ConvNode make_conv(const Layer& l) {
  ConvNode c;
  c.node.name = l.name;
  c.node.op_type = "QLinearConv";
  for (int i = 0; i < 9; ++i) c.node.inputs.push_back("i" + std::to_string(i));
  c.node.outputs = {"y"};
  const int64_t p = l.k / 2;
  c.node.attributes = {{"kernel_shape", Attribute::make_ints({l.k, l.k})},
                       {"strides", Attribute::make_ints({l.stride, l.stride})},
                       {"pads", Attribute::make_ints({p, p, p, p})},
                       {"group", Attribute::make_int(l.group)}};
  Tensor w_scale = Tensor::create(DType::kFloat32, {l.m}).value();
  for (int64_t i = 0; i < l.m; ++i) w_scale.data<float>()[i] = 0.002f + 0.0001f * static_cast<float>(i % 7);
  Tensor bias = random_tensor(DType::kInt32, {l.m}, 3);
  for (int64_t i = 0; i < l.m; ++i) bias.data<int32_t>()[i] %= 5000;
  c.inputs = {random_tensor(DType::kInt8, {1, l.c, l.h, l.w}, 1),
              scalar(DType::kFloat32, 0.02),
              scalar(DType::kInt8, -3),
              random_tensor(DType::kInt8, {l.m, l.c / l.group, l.k, l.k}, 2),
              w_scale,
              Tensor::create(DType::kInt8, {l.m}).value(),
              scalar(DType::kFloat32, 0.05 * std::sqrt(l.c / l.group * l.k * l.k / 16.0)),
              scalar(DType::kInt8, 5),
              bias};
  c.y = Tensor::create(DType::kInt8, {1, l.m, out_size(l, l.h), out_size(l, l.w)}).value();
  return c;
}

std::unique_ptr<PreparedKernel> prepare_fast(const ConvNode& c, pthreadpool_t pool, const char** name) {
  PrepareContext pc{c.node, 13, {}, {}, {ValueType::of(c.y.dtype(), c.y.shape())}, pool};
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    pc.input_types.push_back(ValueType::of(c.inputs[i].dtype(), c.inputs[i].shape()));
    pc.input_values.push_back(i == 0 ? nullptr : &c.inputs[i]);
  }
  for (const FastKernelDef* def : FastKernels::find("", "QLinearConv", 13)) {
    auto k = def->prepare(pc);
    if (k.is_ok() && *k) {
      *name = def->name.c_str();
      return std::move(k).value();
    }
  }
  return nullptr;
}

double time_fast(ConvNode& c, pthreadpool_t pool, double budget, const char** name) {
  auto kernel = prepare_fast(c, pool, name);
  if (!kernel) return NAN;
  std::vector<const Tensor*> in;
  for (const Tensor& t : c.inputs) in.push_back(&t);
  std::vector<Tensor> out{c.y};
  KernelContext kc(c.node, 13, in, &out, nullptr, pool);
  return time_ms([&] { (void)kernel->run(kc); }, budget, pool == nullptr);
}

double time_reference(ConvNode& c, double budget) {
  std::vector<const Tensor*> in;
  for (const Tensor& t : c.inputs) in.push_back(&t);
  std::vector<Tensor> out{c.y};
  KernelContext kc(c.node, 13, in, &out, nullptr, nullptr);
  const OpDef* def = OpRegistry::find("", "QLinearConv", 13);
  return time_ms([&] { (void)def->run(kc); }, budget, true);
}

double time_xnnpack(const Layer& l, const ConvNode& c, pthreadpool_t pool, double budget) {
  const int64_t oh = out_size(l, l.h), ow = out_size(l, l.w), cpg = l.c / l.group, mpg = l.m / l.group;
  std::vector<int8_t> w(static_cast<size_t>(l.m * cpg * l.k * l.k));  // OHWI
  std::vector<int8_t> x(static_cast<size_t>(l.c * l.h * l.w)), y(static_cast<size_t>(l.m * oh * ow));
  std::mt19937 rng(5);
  for (auto& v : w) v = static_cast<int8_t>(rng());
  for (auto& v : x) v = static_cast<int8_t>(rng());
  const uint32_t p = static_cast<uint32_t>(l.k / 2), k = static_cast<uint32_t>(l.k), s = static_cast<uint32_t>(l.stride);
  xnn_operator_t op = nullptr;
  if (xnn_create_convolution2d_nhwc_qc8(p, p, p, p, k, k, s, s, 1, 1, static_cast<uint32_t>(l.group), cpg, mpg, l.c, l.m,
                                        -3, 0.02f, c.inputs[4].data<float>(), w.data(), c.inputs[8].data<int32_t>(), 5,
                                        c.inputs[6].data<float>()[0], -128, 127, 0, &op) != xnn_status_success)
    return NAN;
  xnn_setup_convolution2d_nhwc_qc8(op, 1, l.h, l.w, x.data(), y.data(), pool);
  const double ms = time_ms([&] { xnn_run_operator(op, pool); }, budget, pool == nullptr);
  xnn_delete_operator(op);
  return ms;
}

}  // namespace
}  // namespace ew

int main(int argc, char** argv) {
  using namespace ew;
  bool quick = false;
  std::vector<int> thread_counts{1, 2};
  const char* only = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) thread_counts = {std::atoi(argv[++i])};
    else only = argv[i];
  }
  const double budget = quick ? 30 : 200;
  if (xnn_initialize(nullptr) != xnn_status_success) return 1;
  if (!quant::fast::int8_kernels_supported()) std::printf("no AVX-512 VNNI: the int8 kernels decline\n");
  std::printf("%-16s %3s %9s %9s %9s %8s %8s  %s\n", "layer", "thr", "ref ms", "xnn ms", "int8 ms", "xnn GOPS",
              "int8 GOPS", "kernel");
  for (int threads : thread_counts) {
    pthreadpool_t pool = threads > 1 ? pthreadpool_create(threads) : nullptr;
    for (const Layer& l : kLayers) {
      if (only && !std::strstr(l.name, only)) continue;
      ConvNode c = make_conv(l);
      const double macs = double(l.m) * (l.c / l.group) * l.k * l.k * out_size(l, l.h) * out_size(l, l.w);
      const char* name = "-";
      const double fast = time_fast(c, pool, budget, &name);
      const double xnn = time_xnnpack(l, c, pool, budget);
      const double ref = threads == 1 && !quick ? time_reference(c, budget) : NAN;
      std::printf("%-16s %3d %9.3f %9.3f %9.3f %8.1f %8.1f  %s\n", l.name, threads, ref, xnn, fast,
                  2 * macs / xnn / 1e6, 2 * macs / fast / 1e6, name);
    }
    if (pool) pthreadpool_destroy(pool);
  }
  return 0;
}
