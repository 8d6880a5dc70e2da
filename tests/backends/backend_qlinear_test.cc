// Every quantized backend lowering (XNNPACK, oneDNN) against the reference
// kernels: the same small model runs once with the backend forced and once on
// reference kernels only; outputs must agree within one quantization step.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "backends/backend_param.h"
#include "check/compare.h"
#include "ir/graph_builder.h"
#include "runtime/session.h"

namespace ew {
namespace {

Tensor random_tensor(DType t, const Shape& shape, uint32_t seed) {
  auto out = Tensor::create(t, shape).value();
  std::mt19937 rng(seed);
  if (t == DType::kFloat32) {
    std::uniform_real_distribution<float> d(-1, 1);
    for (int64_t i = 0; i < out.numel(); ++i) out.data<float>()[i] = d(rng);
  } else if (t == DType::kInt32) {
    std::uniform_int_distribution<int32_t> d(-2000, 2000);
    for (int64_t i = 0; i < out.numel(); ++i) out.data<int32_t>()[i] = d(rng);
  } else {
    std::uniform_int_distribution<int> d(0, 255);
    uint8_t* p = static_cast<uint8_t*>(out.raw());
    for (int64_t i = 0; i < out.numel(); ++i) p[i] = static_cast<uint8_t>(d(rng));
  }
  return out;
}

Tensor scalar_f(float v) { return Tensor::scalar<float>(v).value(); }
Tensor zero_point(DType t, int v) {
  return t == DType::kInt8 ? Tensor::scalar<int8_t>(static_cast<int8_t>(v)).value()
                           : Tensor::scalar<uint8_t>(static_cast<uint8_t>(v)).value();
}
Tensor f32_vector(std::vector<float> v) {
  return Tensor::from_vector<float>({static_cast<int64_t>(v.size())}, std::move(v)).value();
}

Attribute ints(std::vector<int64_t> v) { return Attribute::make_ints(std::move(v)); }

struct Case {
  GraphBuilder b{"qcase", 17};
  std::vector<std::pair<std::string, Tensor>> feeds;
  Case() { b.import_opset("com.microsoft", 1); }
  std::string input(const std::string& name, DType t, const Shape& shape) {
    std::vector<Dim> dims;
    for (int64_t d : shape) dims.push_back(Dim(d));
    feeds.emplace_back(b.input(name, t, dims), random_tensor(t, shape, static_cast<uint32_t>(feeds.size() + 7)));
    return feeds.back().first;
  }
  std::string c(const std::string& hint, Tensor t) { return b.constant(hint, std::move(t)); }
  std::string scale(float v) { return c("scale", scalar_f(v)); }
  std::string zp(DType t, int v) { return c("zp", zero_point(t, v)); }
  std::string ms(const std::string& op, const std::vector<std::string>& in, std::map<std::string, Attribute> a = {}) {
    return b.node_n(op, in, 1, a, "", "com.microsoft")[0];
  }
};

using NodeCounts = std::map<std::string, int>;

using test::backend_under_test;

// Runs the case with and without the backend under test; expects it to take
// `min_nodes` nodes (exactly 0 when min_nodes is 0; `per_backend` overrides
// the count per backend; below 0: either way) and the outputs to agree.
void expect_same(Case& c, const std::string& out, int min_nodes, Tolerance tol = Tolerance{0, 0, 1},
                 const NodeCounts& per_backend = {}) {
  const std::string backend = backend_under_test();
  if (per_backend.count(backend)) min_nodes = per_backend.at(backend);
  c.b.output(out);
  Model model = c.b.build().value();
  SessionOptions fast, ref;
  ref.use_backends = false;
  ref.fast_kernels = false;
  ref.opt_level = 0;
  fast.opt_level = 0;
  fast.fast_kernels = false;  // on VNNI CPUs the int8 fast kernels would take the QLinear nodes from XNNPACK
  fast.backend = backend;
  auto s_fast = Session::create(model, fast);
  auto s_ref = Session::create(model, ref);
  ASSERT_TRUE(s_fast.is_ok()) << s_fast.status().to_string();
  ASSERT_TRUE(s_ref.is_ok()) << s_ref.status().to_string();
  std::map<std::string, Tensor> feeds(c.feeds.begin(), c.feeds.end());
  auto y_fast = s_fast.value()->run(feeds);
  auto y_ref = s_ref.value()->run(feeds);
  ASSERT_TRUE(y_fast.is_ok()) << y_fast.status().to_string();
  ASSERT_TRUE(y_ref.is_ok()) << y_ref.status().to_string();
  PlanSummary sum = s_fast.value()->plan_summary();
  std::string notes;
  for (const auto& d : sum.diagnostics) notes += d + "\n";
  if (min_nodes == 0) {
    EXPECT_EQ(sum.backend_nodes[backend], 0) << notes;
  } else if (min_nodes > 0) {
    EXPECT_GE(sum.backend_nodes[backend], min_nodes) << notes;
  }
  ASSERT_EQ(y_fast.value()[0].dtype(), y_ref.value()[0].dtype());
  Comparison cmp = compare_tensors(y_fast.value()[0], y_ref.value()[0], tol);
  EXPECT_TRUE(cmp.match) << "max abs " << cmp.max_abs_error;
}

struct ConvSpec {
  DType xt = DType::kUInt8, wt = DType::kInt8, yt = DType::kUInt8;
  Shape x, w;
  std::map<std::string, Attribute> attrs;
  bool per_channel = true, bias = true;
  bool seven_bit = false;  // weights within [-64, 64] of their zero point
  int w_zp = 0;
};

// Weights of type t: the full 8-bit range, or within 64 of the zero point
// (what oneDNN takes on CPUs without VNNI, where wider ones could saturate).
Tensor weights(DType t, const Shape& shape, uint32_t seed, bool seven_bit) {
  Tensor w = random_tensor(t, shape, seed);
  if (!seven_bit) return w;
  auto* p = static_cast<uint8_t*>(w.raw());
  for (int64_t i = 0; i < w.numel(); ++i) {
    const int centered = static_cast<int>(p[i] % 129) - 64;
    p[i] = static_cast<uint8_t>(t == DType::kUInt8 ? centered + 128 : centered);
  }
  return w;
}

// Full-range weights or int8 activations: oneDNN takes them only where the CPU has VNNI.
const NodeCounts kFullRange = {{"onednn", -1}};

std::string qconv(Case& c, const ConvSpec& s) {
  std::string x = c.input("x", s.xt, s.x);
  std::vector<float> ws;
  for (int64_t i = 0; i < (s.per_channel ? s.w[0] : 1); ++i) ws.push_back(0.002f + 0.0005f * float(i % 7));
  std::vector<std::string> in = {x, c.scale(0.05f), c.zp(s.xt, s.xt == DType::kUInt8 ? 120 : -3),
                                 c.c("w", weights(s.wt, s.w, 3, s.seven_bit)), c.c("ws", f32_vector(ws)), c.zp(s.wt, s.w_zp),
                                 c.scale(0.04f), c.zp(s.yt, s.yt == DType::kUInt8 ? 128 : 5)};
  if (s.bias) in.push_back(c.c("bias", random_tensor(DType::kInt32, {s.w[0]}, 5)));
  return c.b.node("QLinearConv", in, s.attrs);
}

// The convolution with full-range and with 7-bit weights.
void expect_conv(ConvSpec s) {
  for (bool seven : {false, true}) {
    SCOPED_TRACE(seven ? "7-bit weights" : "8-bit weights");
    Case c;
    s.seven_bit = seven;
    // int8 activations: oneDNN takes them only where the CPU has VNNI, whatever the weights.
    const bool any_cpu = seven && s.xt == DType::kUInt8;
    expect_same(c, qconv(c, s), 1, Tolerance{0, 0, 1}, any_cpu ? NodeCounts{} : kFullRange);
  }
}

class BackendQLinear : public test::BackendParamTest {};

TEST_P(BackendQLinear, ConvUint8PerChannelWithPadsStridesAndBias) {
  ConvSpec s;
  s.x = {1, 5, 11, 9};
  s.w = {7, 5, 3, 3};
  s.attrs = {{"pads", ints({1, 0, 2, 1})}, {"strides", ints({2, 1})}};
  expect_conv(s);
}

TEST_P(BackendQLinear, ConvInt8PerTensorDilatedWithoutBias) {
  ConvSpec s;
  s.xt = s.yt = DType::kInt8;
  s.x = {2, 4, 12, 12};
  s.w = {6, 4, 3, 3};
  s.per_channel = false;
  s.bias = false;
  s.attrs = {{"dilations", ints({2, 2})}};
  expect_conv(s);
}

TEST_P(BackendQLinear, ConvDepthwiseUint8) {
  ConvSpec s;
  s.x = {1, 8, 10, 10};
  s.w = {8, 1, 3, 3};
  s.attrs = {{"group", Attribute::make_int(8)}, {"pads", ints({1, 1, 1, 1})}};
  expect_conv(s);
}

TEST_P(BackendQLinear, ConvGroupedUint8WeightsWithZeroPoint128) {
  ConvSpec s;
  s.wt = DType::kUInt8;
  s.w_zp = 128;
  s.per_channel = false;
  s.x = {1, 6, 7, 7};
  s.w = {4, 3, 1, 1};
  s.attrs = {{"group", Attribute::make_int(2)}};
  expect_conv(s);
}

TEST_P(BackendQLinear, ConvMixedInputAndOutputTypes) {
  ConvSpec s;
  s.yt = DType::kInt8;
  s.x = {1, 3, 8, 8};
  s.w = {5, 3, 3, 3};
  expect_conv(s);
}

TEST_P(BackendQLinear, ConvDeclinesOtherWeightZeroPoints) {
  Case c;
  ConvSpec s;
  s.wt = DType::kUInt8;
  s.w_zp = 100;
  s.per_channel = false;
  s.x = {1, 3, 6, 6};
  s.w = {4, 3, 3, 3};
  expect_same(c, qconv(c, s), 0, Tolerance{0, 0, 0});
}

TEST_P(BackendQLinear, AddUint8AndInt8) {
  for (DType t : {DType::kUInt8, DType::kInt8}) {
    Case c;
    std::string a = c.input("a", t, {2, 6, 5, 5}), b = c.input("b", t, {2, 6, 5, 5});
    std::string y = c.ms("QLinearAdd", {a, c.scale(0.05f), c.zp(t, 10), b, c.scale(0.02f), c.zp(t, 3),
                                        c.scale(0.06f), c.zp(t, 7)});
    expect_same(c, y, 1);
  }
}

std::string qadd(Case& c, const std::string& a, const std::string& b, DType t) {
  return c.ms("QLinearAdd", {a, c.scale(0.05f), c.zp(t, 10), b, c.scale(0.02f), c.zp(t, 3), c.scale(0.06f),
                             c.zp(t, 7)});
}

TEST_P(BackendQLinear, AddBroadcastsComputedOperands) {
  Case c;
  const DType t = DType::kUInt8;
  std::string a = c.input("a", t, {1, 6, 5, 5}), b = c.input("b", t, {1, 6, 1, 1});
  expect_same(c, qadd(c, a, b, t), 1);
}

TEST_P(BackendQLinear, AddConstantOperand) {
  for (DType t : {DType::kUInt8, DType::kInt8}) {
    Case c;
    std::string a = c.input("a", t, {2, 6, 5, 5});
    expect_same(c, qadd(c, a, c.c("k", random_tensor(t, {6, 1, 5}, 4)), t), 1);
    Case d;
    std::string x = d.input("x", t, {3, 24});
    expect_same(d, qadd(d, d.c("bias", random_tensor(t, {24}, 5)), x, t), 1);
  }
}

TEST_P(BackendQLinear, AddLowerRankComputedOperandOf4D) {
  Case c;
  const DType t = DType::kUInt8;
  std::string a = c.input("a", t, {1, 6, 5, 5}), b = c.input("b", t, {6, 1, 1});
  expect_same(c, qadd(c, a, b, t), 0, Tolerance{0, 0, 1}, {{"onednn", 1}});
}

TEST_P(BackendQLinear, GlobalAveragePoolUint8AndInt8) {
  for (DType t : {DType::kUInt8, DType::kInt8}) {
    Case c;
    std::string x = c.input("x", t, {2, 16, 7, 7});
    std::string y = c.ms("QLinearGlobalAveragePool", {x, c.scale(0.05f), c.zp(t, 12), c.scale(0.03f), c.zp(t, 2)},
                         {{"channels_last", Attribute::make_int(0)}});
    expect_same(c, y, 1);
  }
}

TEST_P(BackendQLinear, GlobalAveragePoolDeclinesChannelsLast) {
  Case c;
  std::string x = c.input("x", DType::kUInt8, {1, 7, 7, 16});
  std::string y = c.ms("QLinearGlobalAveragePool",
                       {x, c.scale(0.05f), c.zp(DType::kUInt8, 12), c.scale(0.03f), c.zp(DType::kUInt8, 2)},
                       {{"channels_last", Attribute::make_int(1)}});
  expect_same(c, y, 0, Tolerance{0, 0, 0});
}

void qmatmul_case(DType at, DType bt, bool per_column, bool seven_bit) {
  Case c;
  std::string a = c.input("a", at, {3, 40});
  std::vector<float> bs;
  for (int i = 0; i < (per_column ? 24 : 1); ++i) bs.push_back(0.003f + 0.001f * float(i % 5));
  std::string y = c.b.node("QLinearMatMul", {a, c.scale(0.05f), c.zp(at, at == DType::kUInt8 ? 130 : 1),
                                             c.c("b", weights(bt, {40, 24}, 9, seven_bit)), c.c("bs", f32_vector(bs)),
                                             c.zp(bt, bt == DType::kUInt8 ? 128 : 0), c.scale(0.05f),
                                             c.zp(at, at == DType::kUInt8 ? 120 : -4)});
  const bool any_cpu = seven_bit && at == DType::kUInt8;
  expect_same(c, y, 1, Tolerance{0, 0, 1}, any_cpu ? NodeCounts{} : kFullRange);
}

void qmatmul_case(DType at, DType bt, bool per_column) {
  for (bool seven : {false, true}) qmatmul_case(at, bt, per_column, seven);
}

TEST_P(BackendQLinear, MatMulPerTensor) { qmatmul_case(DType::kInt8, DType::kInt8, false); }
TEST_P(BackendQLinear, MatMulPerColumnUint8) { qmatmul_case(DType::kUInt8, DType::kInt8, true); }
TEST_P(BackendQLinear, MatMulUint8Weights) { qmatmul_case(DType::kUInt8, DType::kUInt8, false); }

TEST_P(BackendQLinear, QuantizeLinear) {
  for (DType t : {DType::kUInt8, DType::kInt8}) {
    Case c;
    std::string x = c.input("x", DType::kFloat32, {1, 4, 6, 6});
    std::string y = c.b.node("QuantizeLinear", {x, c.scale(0.01f), c.zp(t, t == DType::kUInt8 ? 128 : -3)});
    expect_same(c, y, 1);
  }
}

TEST_P(BackendQLinear, DequantizeLinearIsExact) {
  for (DType t : {DType::kUInt8, DType::kInt8}) {
    Case c;
    std::string x = c.input("x", t, {2, 3, 5, 4});
    std::string y = c.b.node("DequantizeLinear", {x, c.scale(0.02f), c.zp(t, 9)});
    expect_same(c, y, 1, Tolerance{0, 0, 0});
  }
}

// A quantized constant dequantized for a float op (as QDQ models do for weights).
TEST_P(BackendQLinear, DequantizeLinearOfConstant) {
  for (DType t : {DType::kUInt8, DType::kInt8}) {
    Case c;
    std::string x = c.input("x", DType::kFloat32, {1, 3, 4, 5});
    std::string wq = c.c("w", random_tensor(t, {1, 3, 4, 5}, 8));
    std::string w = c.b.node("DequantizeLinear", {wq, c.scale(0.02f), c.zp(t, 9)});
    expect_same(c, c.b.node("Add", {x, w}), 2, Tolerance{1e-6, 1e-6, 0});
  }
}

// Quantize -> conv -> add (residual) -> global pool -> dequantize, all in one partition.
TEST_P(BackendQLinear, ChainInOnePartition) {
  Case c;
  const DType u8 = DType::kUInt8;
  std::string x = c.input("x", DType::kFloat32, {1, 8, 9, 9});
  std::string q = c.b.node("QuantizeLinear", {x, c.scale(0.01f), c.zp(u8, 128)});
  std::vector<float> ws(8, 0.004f);
  std::string wq = c.c("w", weights(DType::kInt8, {8, 8, 3, 3}, 4, true));
  std::string conv = c.b.node("QLinearConv",
                              {q, c.scale(0.01f), c.zp(u8, 128), wq, c.c("ws", f32_vector(ws)), c.zp(DType::kInt8, 0),
                               c.scale(0.05f), c.zp(u8, 120), c.c("bias", random_tensor(DType::kInt32, {8}, 6))},
                              {{"pads", ints({1, 1, 1, 1})}});
  std::string sum = c.ms("QLinearAdd", {conv, c.scale(0.05f), c.zp(u8, 120), q, c.scale(0.01f), c.zp(u8, 128),
                                        c.scale(0.06f), c.zp(u8, 125)});
  std::string pool = c.ms("QLinearGlobalAveragePool",
                          {sum, c.scale(0.06f), c.zp(u8, 125), c.scale(0.02f), c.zp(u8, 128)},
                          {{"channels_last", Attribute::make_int(0)}});
  std::string y = c.b.node("DequantizeLinear", {pool, c.scale(0.02f), c.zp(u8, 128)});
  // The float input's quantization may differ by one step, which the chain can grow to a few output steps.
  expect_same(c, y, 5, Tolerance{0, 4 * 0.02, 0});
}

}  // namespace
}  // namespace ew

namespace ew {
namespace {

EW_INSTANTIATE_FOR_EVERY_BACKEND(BackendQLinear);

}  // namespace
}  // namespace ew
