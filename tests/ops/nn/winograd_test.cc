// WinogradConv against the reference Conv kernel: every kernel variant this
// CPU runs, shapes with tile edges, padding, batches, channel tails, bias,
// FusedConv activations and Z, threading, and the cases prepare declines.
#include <gtest/gtest.h>
#include <pthreadpool.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "ops/nn/winograd_conv.h"

namespace ew {
namespace {

// Error bound, relative to the largest |output|: F(4x4, 3x3) in fp32 measured
// 3e-6 to 1.5e-5 on ResNet-like data (16 to 512 channels, bench/winograd_bench);
// 1e-4 leaves room for other shapes and seeds while still catching any wrong
// coefficient or misplaced tile (those give errors of order 1).
constexpr double kRelErrorBound = 1e-4;

struct Case {
  int64_t n, cin, cout, h, w;
  std::vector<int64_t> pads;  // empty: none
  std::string auto_pad;       // "" for NOTSET
  bool bias;
};

Tensor random_tensor(const Shape& shape, double stddev, bool relu, uint32_t seed) {
  Tensor t = Tensor::create(DType::kFloat32, shape).value();
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, static_cast<float>(stddev));
  float* p = t.data<float>();
  for (int64_t i = 0; i < t.numel(); ++i) {
    float v = dist(rng);
    p[i] = relu ? std::max(v, 0.0f) : v;
  }
  return t;
}

Node conv_node(const Case& c, const std::string& op_type = "Conv", const std::string& domain = "") {
  Node node;
  node.name = "winograd_under_test";
  node.op_type = op_type;
  node.domain = domain;
  node.inputs = {"x", "w", c.bias ? "b" : ""};
  node.outputs = {"y"};
  if (!c.pads.empty()) node.attributes["pads"] = Attribute::make_ints(c.pads);
  if (!c.auto_pad.empty()) node.attributes["auto_pad"] = Attribute::make_string(c.auto_pad);
  return node;
}

Shape output_shape(const Case& c) {
  if (c.auto_pad == "SAME_UPPER") return {c.n, c.cout, c.h, c.w};
  std::vector<int64_t> p = c.pads.empty() ? std::vector<int64_t>(4, 0) : c.pads;
  return {c.n, c.cout, c.h + p[0] + p[2] - 2, c.w + p[1] + p[3] - 2};
}

struct Problem {
  Case c;
  Node node;
  Tensor x, w, b, z;
  Shape y_shape;
};

Problem make_problem(const Case& c, uint32_t seed = 1) {
  Problem p{c, conv_node(c), {}, {}, {}, {}, output_shape(c)};
  p.x = random_tensor({c.n, c.cin, c.h, c.w}, 1.0, true, seed);
  p.w = random_tensor({c.cout, c.cin, 3, 3}, std::sqrt(2.0 / (9.0 * c.cin)), false, seed + 1);
  if (c.bias) p.b = random_tensor({c.cout}, 0.1, false, seed + 2);
  return p;
}

std::vector<const Tensor*> inputs_of(const Problem& p) {
  std::vector<const Tensor*> in{&p.x, &p.w, p.b.defined() ? &p.b : nullptr};
  if (p.z.defined()) in.push_back(&p.z);
  return in;
}

Tensor run_reference(const Problem& p) {
  const OpDef* conv = OpRegistry::find("", "Conv", 11);
  EXPECT_NE(conv, nullptr);
  Node node = p.node;
  node.op_type = "Conv";
  node.domain = "";
  node.attributes.erase("activation");
  node.attributes.erase("activation_params");
  node.inputs.resize(3);
  std::vector<Tensor> outputs{Tensor::create(DType::kFloat32, p.y_shape).value()};
  std::vector<const Tensor*> in{&p.x, &p.w, p.b.defined() ? &p.b : nullptr};
  KernelContext ctx(node, 11, in, &outputs, nullptr);
  Status st = conv->run(ctx);
  EXPECT_TRUE(st.is_ok()) << st.to_string();
  return outputs[0];
}

PrepareContext prepare_context(const Problem& p, pthreadpool_t pool, bool constant_weights = true) {
  PrepareContext ctx{p.node, 11, {}, {}, {ValueType::of(DType::kFloat32, p.y_shape)}, pool};
  for (const Tensor* t : inputs_of(p)) {
    ctx.input_types.push_back(t ? ValueType::of(t->dtype(), t->shape()) : ValueType{});
    ctx.input_values.push_back(nullptr);
  }
  if (constant_weights) ctx.input_values[1] = &p.w;
  if (p.b.defined()) ctx.input_values[2] = &p.b;
  return ctx;
}

Result<Tensor> run_prepared(PreparedKernel& kernel, const Problem& p, pthreadpool_t pool) {
  std::vector<Tensor> outputs{Tensor::create(DType::kFloat32, p.y_shape).value()};
  KernelContext ctx(p.node, 11, inputs_of(p), &outputs, nullptr, pool);
  EW_RETURN_IF_ERROR(kernel.run(ctx));
  return outputs[0];
}

std::unique_ptr<PreparedKernel> prepare(const Problem& p, const WinogradKernels* k, pthreadpool_t pool = nullptr) {
  bool fused = p.node.op_type == "FusedConv";
  auto prepared = prepare_winograd_conv(prepare_context(p, pool), fused, {k, /*only_if_faster=*/false});
  EXPECT_TRUE(prepared.is_ok()) << prepared.status().to_string();
  return prepared.is_ok() ? std::move(prepared).value() : nullptr;
}

// Max |a - b| over max |b|.
double relative_error(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  double err = 0.0, mag = 1e-30;
  for (int64_t i = 0; i < b.numel(); ++i) {
    err = std::max(err, std::abs(double(a.data<float>()[i]) - b.data<float>()[i]));
    mag = std::max(mag, std::abs(double(b.data<float>()[i])));
  }
  return err / mag;
}

std::vector<const WinogradKernels*> variants() {
  std::vector<const WinogradKernels*> v;
  for (const WinogradKernels* k : {winograd_kernels_avx512(), winograd_kernels_avx2(), winograd_kernels_portable()})
    if (k) v.push_back(k);
  return v;
}

class WinogradShapes : public testing::TestWithParam<Case> {};

TEST_P(WinogradShapes, MatchesReferenceConvOnEveryVariant) {
  Problem p = make_problem(GetParam());
  Tensor ref = run_reference(p);
  for (const WinogradKernels* k : variants()) {
    auto kernel = prepare(p, k);
    ASSERT_NE(kernel, nullptr) << k->isa;
    auto y = run_prepared(*kernel, p, nullptr);
    ASSERT_TRUE(y.is_ok()) << y.status().to_string();
    EXPECT_LT(relative_error(y.value(), ref), kRelErrorBound) << k->isa;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, WinogradShapes,
    testing::Values(Case{1, 16, 16, 8, 8, {1, 1, 1, 1}, "", true},       // whole tiles
                    Case{1, 17, 19, 7, 9, {1, 1, 1, 1}, "", false},      // odd sizes, channel tails
                    Case{2, 20, 33, 5, 11, {}, "", true},                // no padding, batch 2
                    Case{1, 32, 16, 13, 6, {}, "SAME_UPPER", true},      // auto_pad
                    Case{3, 16, 24, 4, 4, {0, 1, 1, 0}, "", false},      // asymmetric pads, batch 3
                    Case{1, 16, 16, 3, 3, {2, 2, 2, 2}, "", true},       // padding wider than 1
                    Case{1, 64, 64, 28, 28, {1, 1, 1, 1}, "", true},     // ResNet-like
                    Case{1, 128, 130, 14, 14, {1, 1, 1, 1}, "", true}));  // many GEMM row blocks

// FusedConv: reference Conv, then + Z, then the activation, written out here.
float activation_reference(const std::string& name, float x, const std::vector<float>& a) {
  if (name == "Relu") return std::max(x, 0.0f);
  if (name == "Clip") return std::min(std::max(x, a[0]), a[1]);
  if (name == "Sigmoid") return 1.0f / (1.0f + std::exp(-x));
  if (name == "Tanh") return std::tanh(x);
  if (name == "LeakyRelu") return x >= 0 ? x : a[0] * x;
  if (name == "HardSigmoid") return std::clamp(a[0] * x + a[1], 0.0f, 1.0f);
  return x;
}

struct Activation {
  std::string name;
  std::vector<float> params;
};

class WinogradFused : public testing::TestWithParam<std::tuple<Activation, bool>> {};

TEST_P(WinogradFused, MatchesConvPlusZPlusActivation) {
  const auto& [act, with_z] = GetParam();
  Problem p = make_problem(Case{2, 16, 20, 9, 7, {1, 1, 1, 1}, "", true}, 7);
  p.node.op_type = "FusedConv";
  p.node.domain = "com.microsoft";
  p.node.attributes["activation"] = Attribute::make_string(act.name);
  if (!act.params.empty()) p.node.attributes["activation_params"] = Attribute::make_floats(act.params);
  if (with_z) {
    p.z = random_tensor(p.y_shape, 0.5, false, 11);
    p.node.inputs.push_back("z");
  }
  Tensor ref = run_reference(p);
  for (int64_t i = 0; i < ref.numel(); ++i) {
    float v = ref.data<float>()[i] + (with_z ? p.z.data<float>()[i] : 0.0f);
    ref.data<float>()[i] = activation_reference(act.name, v, act.params);
  }
  // The FusedConv reference kernel agrees with the formula above.
  if (const OpDef* fused = OpRegistry::find("com.microsoft", "FusedConv", 1)) {
    std::vector<Tensor> out{Tensor::create(DType::kFloat32, p.y_shape).value()};
    KernelContext ctx(p.node, 1, inputs_of(p), &out, nullptr);
    ASSERT_TRUE(fused->run(ctx).is_ok());
    EXPECT_LT(relative_error(out[0], ref), 1e-6);
  }
  for (const WinogradKernels* k : variants()) {
    auto kernel = prepare(p, k);
    ASSERT_NE(kernel, nullptr) << k->isa;
    auto y = run_prepared(*kernel, p, nullptr);
    ASSERT_TRUE(y.is_ok()) << y.status().to_string();
    EXPECT_LT(relative_error(y.value(), ref), kRelErrorBound) << k->isa << " " << act.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Activations, WinogradFused,
                         testing::Combine(testing::Values(Activation{"Relu", {}}, Activation{"Clip", {-0.2f, 0.3f}},
                                                          Activation{"Sigmoid", {}}, Activation{"Tanh", {}},
                                                          Activation{"LeakyRelu", {0.1f}},
                                                          Activation{"HardSigmoid", {0.2f, 0.5f}}),
                                          testing::Bool()));

// Weights and bias that are graph inputs (training graphs): transformed at
// every run, so a second run with other weights gives the other result.
TEST(Winograd, WeightsAndBiasAsInputsAreReadAtEveryRun) {
  for (const Case& c : {Case{2, 17, 19, 7, 9, {1, 1, 1, 1}, "", true}, Case{1, 32, 48, 14, 14, {0, 1, 2, 0}, "", false}}) {
    Problem p = make_problem(c, 21);
    PrepareContext ctx = prepare_context(p, nullptr, /*constant_weights=*/false);
    ctx.input_values[2] = nullptr;  // the bias is an input too
    auto prepared = prepare_winograd_conv(ctx, false, {nullptr, /*only_if_faster=*/false});
    ASSERT_TRUE(prepared.is_ok() && prepared.value()) << "declined weights given as an input";
    for (uint32_t seed : {31u, 41u}) {
      Problem q = make_problem(c, seed);
      q.node = p.node;
      auto y = run_prepared(*prepared.value(), q, nullptr);
      ASSERT_TRUE(y.is_ok()) << y.status().to_string();
      EXPECT_LT(relative_error(y.value(), run_reference(q)), kRelErrorBound) << "seed " << seed;
    }
    Problem bad = make_problem(Case{c.n, c.cin, c.cout + 1, c.h, c.w, c.pads, "", c.bias}, 5);
    bad.y_shape = p.y_shape;
    EXPECT_FALSE(run_prepared(*prepared.value(), bad, nullptr).is_ok()) << "weights of another shape";
  }
}

// The float transform for run-time weights agrees with the double one.
TEST(Winograd, FloatWeightTransformMatchesDouble) {
  WinogradDims d;
  d.cin_pad = 32;
  d.cout_pad = 48;
  const int64_t cout = 35, cin = 19;
  Tensor w = random_tensor({cout, cin, 3, 3}, 0.3, false, 3);
  std::vector<float> a(static_cast<size_t>(kWinogradPoints * d.cin_pad * d.cout_pad), 0.0f), b = a, c = a;
  winograd_transform_weights(w.data<float>(), cout, cin, d, a.data());
  winograd_transform_weights_f32(w.data<float>(), cout, cin, cin * 9, 9, false, d, b.data());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 1e-6) << i;
  // Transposed and flipped: the weights of the adjoint read from [cin][cout][3][3].
  Tensor wt = Tensor::create(DType::kFloat32, {cin, cout, 3, 3}).value();
  for (int64_t k = 0; k < cout; ++k)
    for (int64_t ch = 0; ch < cin; ++ch)
      for (int t = 0; t < 9; ++t) wt.data<float>()[(ch * cout + k) * 9 + 8 - t] = w.data<float>()[(k * cin + ch) * 9 + t];
  winograd_transform_weights_f32(wt.data<float>(), cout, cin, 9, cout * 9, true, d, c.data());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(b[i], c[i]) << i;
}

TEST(Winograd, TwoThreadsGiveIdenticalResults) {
  pthreadpool_t pool = pthreadpool_create(2);
  ASSERT_NE(pool, nullptr);
  for (const Case& c : {Case{2, 32, 48, 30, 30, {1, 1, 1, 1}, "", true},   // split by tiles
                        Case{1, 32, 48, 6, 6, {1, 1, 1, 1}, "", true},     // split by channels
                        Case{5, 32, 48, 9, 7, {1, 1, 1, 1}, "", true}}) {  // split by images
    Problem p = make_problem(c, 3);
    auto serial = prepare(p, nullptr);
    auto threaded = prepare(p, nullptr, pool);
    ASSERT_TRUE(serial && threaded);
    auto a = run_prepared(*serial, p, nullptr);
    auto b = run_prepared(*threaded, p, pool);
    auto again = run_prepared(*threaded, p, pool);  // a second run reuses the scratch
    ASSERT_TRUE(a.is_ok() && b.is_ok() && again.is_ok());
    for (const Tensor* t : {&b.value(), &again.value()})
      for (int64_t i = 0; i < t->numel(); ++i) ASSERT_EQ(t->data<float>()[i], a.value().data<float>()[i]) << i;
  }
  pthreadpool_destroy(pool);
}

TEST(Winograd, RegisteredForConvAndFusedConv) {
  auto has_winograd = [](const std::vector<const FastKernelDef*>& defs) {
    return std::any_of(defs.begin(), defs.end(), [](const FastKernelDef* d) { return d->name == "winograd_f4x3"; });
  };
  EXPECT_TRUE(has_winograd(FastKernels::find("", "Conv", 11)));
  EXPECT_TRUE(has_winograd(FastKernels::find("com.microsoft", "FusedConv", 1)));
  // Through the registry entry: prepares and runs like the direct call.
  Problem p = make_problem(Case{1, 32, 32, 16, 16, {1, 1, 1, 1}, "", true});
  for (const FastKernelDef* d : FastKernels::find("", "Conv", 11)) {
    if (d->name != "winograd_f4x3") continue;
    auto prepared = d->prepare(prepare_context(p, nullptr));
    ASSERT_TRUE(prepared.is_ok() && prepared.value());
    auto y = run_prepared(*prepared.value(), p, nullptr);
    ASSERT_TRUE(y.is_ok());
    EXPECT_LT(relative_error(y.value(), run_reference(p)), kRelErrorBound);
  }
}

bool declines(const Problem& p, bool constant_weights = true) {
  auto prepared = prepare_winograd_conv(prepare_context(p, nullptr, constant_weights), p.node.op_type == "FusedConv",
                                        {nullptr, /*only_if_faster=*/false});
  return prepared.is_ok() && prepared.value() == nullptr;
}

TEST(Winograd, DeclinesUnsupportedCases) {
  const Case base{1, 16, 16, 8, 8, {1, 1, 1, 1}, "", true};
  EXPECT_FALSE(declines(make_problem(base)));
  {
    Problem p = make_problem(base);
    p.node.attributes["strides"] = Attribute::make_ints({2, 2});
    p.y_shape = {1, 16, 4, 4};
    EXPECT_TRUE(declines(p));
  }
  {
    Problem p = make_problem(base);
    p.node.attributes["dilations"] = Attribute::make_ints({2, 2});
    p.y_shape = {1, 16, 6, 6};
    EXPECT_TRUE(declines(p));
  }
  {
    Problem p = make_problem(base);
    p.node.attributes["group"] = Attribute::make_int(2);
    p.w = random_tensor({16, 8, 3, 3}, 0.1, false, 5);
    EXPECT_TRUE(declines(p));
  }
  {
    Problem p = make_problem(base);
    p.w = random_tensor({16, 16, 5, 5}, 0.1, false, 5);
    p.y_shape = {1, 16, 6, 6};
    EXPECT_TRUE(declines(p));
  }
  {
    Problem p = make_problem(base);
    p.x = Tensor::create(DType::kFloat16, p.x.shape()).value();
    EXPECT_TRUE(declines(p));
  }
  {
    Problem p = make_problem(base);
    p.node.op_type = "FusedConv";
    p.node.domain = "com.microsoft";
    p.node.attributes["activation"] = Attribute::make_string("Softsign");
    EXPECT_TRUE(declines(p));
    p.node.attributes["activation"] = Attribute::make_string("Clip");  // missing min/max
    EXPECT_TRUE(declines(p));
  }
}

// The registered prepare also declines layers where Winograd is slower than
// direct convolution (thresholds in winograd_conv.h).
TEST(Winograd, DeclinesLayersWhereItDoesNotPay) {
  auto registered_takes = [](const Case& c) {
    Problem p = make_problem(c);
    auto prepared = prepare_winograd_conv(prepare_context(p, nullptr), false);
    return prepared.is_ok() && prepared.value() != nullptr;
  };
  EXPECT_TRUE(registered_takes(Case{1, 64, 64, 28, 28, {1, 1, 1, 1}, "", true}));
  EXPECT_TRUE(registered_takes(Case{1, 32, 48, 16, 16, {1, 1, 1, 1}, "", false}));
  EXPECT_TRUE(registered_takes(Case{1, 256, 256, 7, 7, {1, 1, 1, 1}, "", true}));
  EXPECT_FALSE(registered_takes(Case{1, 8, 64, 28, 28, {1, 1, 1, 1}, "", true}));    // few input channels
  EXPECT_FALSE(registered_takes(Case{1, 64, 8, 28, 28, {1, 1, 1, 1}, "", true}));    // few output channels
  EXPECT_FALSE(registered_takes(Case{1, 512, 512, 7, 7, {1, 1, 1, 1}, "", true}));  // 9 MiB of weights per tile
}

TEST(Winograd, RunRejectsAnotherShape) {
  Problem p = make_problem(Case{1, 16, 16, 8, 8, {1, 1, 1, 1}, "", true});
  auto kernel = prepare(p, nullptr);
  ASSERT_NE(kernel, nullptr);
  p.x = random_tensor({1, 16, 9, 8}, 1.0, true, 9);
  auto y = run_prepared(*kernel, p, nullptr);
  EXPECT_FALSE(y.is_ok());
}

}  // namespace
}  // namespace ew
