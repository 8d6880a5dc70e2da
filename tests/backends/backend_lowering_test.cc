// Every backend lowering (XNNPACK, oneDNN) against the reference kernels: the
// same small model runs once with the backend forced and once on reference
// kernels only, for each backend available here.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "backends/backend_param.h"
#include "check/compare.h"
#include "ir/graph_builder.h"
#include "runtime/session.h"

namespace ew {
namespace {

Tensor random_f32(const Shape& shape, uint32_t seed, float lo = -1, float hi = 1) {
  auto t = Tensor::create(DType::kFloat32, shape).value();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = d(rng);
  return t;
}

Attribute ints(std::vector<int64_t> v) { return Attribute::make_ints(std::move(v)); }

struct Case {
  GraphBuilder b{"case", 17};
  std::string x;
  Shape x_shape;
  explicit Case(Shape shape, int64_t opset = 17) : b("case", opset), x_shape(std::move(shape)) {
    std::vector<Dim> dims;
    for (int64_t d : x_shape) dims.push_back(Dim(d));
    x = b.input("x", DType::kFloat32, dims);
  }
  std::string weight(const Shape& s, uint32_t seed, float lo = -0.5f, float hi = 0.5f) {
    return b.constant("w", random_f32(s, seed, lo, hi));
  }
};

using NodeCounts = std::map<std::string, int>;

using test::backend_under_test;

// Runs the case with and without the backend under test; expects it to take
// `min_nodes` nodes (`per_backend` overrides that per backend) and the outputs
// to agree.
void expect_same(Case& c, const std::string& out, int min_nodes = 1, const NodeCounts& per_backend = {}) {
  const std::string backend = backend_under_test();
  if (per_backend.count(backend)) min_nodes = per_backend.at(backend);
  c.b.output(out);
  Model model = c.b.build().value();
  Tensor x = random_f32(c.x_shape, 11);
  SessionOptions fast, ref;
  ref.use_backends = false;
  ref.fast_kernels = false;
  ref.opt_level = 0;
  fast.opt_level = 0;
  fast.backend = backend;
  auto s_fast = Session::create(model, fast);
  auto s_ref = Session::create(model, ref);
  ASSERT_TRUE(s_fast.is_ok()) << s_fast.status().to_string();
  ASSERT_TRUE(s_ref.is_ok()) << s_ref.status().to_string();
  auto y_fast = s_fast.value()->run({{"x", x}});
  auto y_ref = s_ref.value()->run({{"x", x}});
  ASSERT_TRUE(y_fast.is_ok()) << y_fast.status().to_string();
  ASSERT_TRUE(y_ref.is_ok()) << y_ref.status().to_string();
  PlanSummary sum = s_fast.value()->plan_summary();
  std::string notes;
  for (const auto& d : sum.diagnostics) notes += d + "\n";
  EXPECT_GE(sum.backend_nodes[backend], min_nodes) << notes;
  Comparison cmp = compare_tensors(y_fast.value()[0], y_ref.value()[0], Tolerance{1e-4, 1e-5, 0});
  EXPECT_TRUE(cmp.match) << "max abs " << cmp.max_abs_error << " max rel " << cmp.max_rel_error;
}

class BackendLowering : public test::BackendParamTest {};

TEST_P(BackendLowering, ConvWithPadsStridesAndBias) {
  Case c({2, 5, 11, 9});
  std::string y = c.b.node("Conv", {c.x, c.weight({7, 5, 3, 3}, 1), c.weight({7}, 2)},
                           {{"pads", ints({1, 0, 2, 1})}, {"strides", ints({2, 1})}});
  expect_same(c, y);
}

TEST_P(BackendLowering, ConvDilatedWithoutBias) {
  Case c({1, 4, 12, 12});
  std::string y = c.b.node("Conv", {c.x, c.weight({6, 4, 3, 3}, 3)}, {{"dilations", ints({2, 2})}});
  expect_same(c, y);
}

TEST_P(BackendLowering, ConvAutoPadSameUpper) {
  Case c({1, 3, 10, 7});
  std::string y = c.b.node("Conv", {c.x, c.weight({4, 3, 4, 4}, 4)},
                           {{"auto_pad", Attribute::make_string("SAME_UPPER")}, {"strides", ints({2, 2})}});
  expect_same(c, y);
}

TEST_P(BackendLowering, DepthwiseAndGroupedConv) {
  Case c({1, 8, 9, 9});
  std::string dw = c.b.node("Conv", {c.x, c.weight({16, 1, 3, 3}, 5), c.weight({16}, 6)},
                            {{"group", Attribute::make_int(8)}, {"pads", ints({1, 1, 1, 1})}});
  std::string g = c.b.node("Conv", {dw, c.weight({8, 4, 1, 1}, 7)}, {{"group", Attribute::make_int(4)}});
  expect_same(c, g, 2);
}

TEST_P(BackendLowering, ActivationsAndClip) {
  Case c({1, 3, 6, 6});
  std::string y = c.b.node("Relu", {c.x});
  y = c.b.node("Clip", {y, c.b.constant("lo", Tensor::scalar<float>(0.1f).value()),
                        c.b.constant("hi", Tensor::scalar<float>(0.6f).value())});
  std::string z = c.b.node("HardSwish", {c.x});
  z = c.b.node("LeakyRelu", {z}, {{"alpha", Attribute::make_float(0.2f)}});
  z = c.b.node("Sigmoid", {z});
  expect_same(c, c.b.node("Add", {y, z}), 5);
}

TEST_P(BackendLowering, BinaryOpsBroadcastConstantsInNhwc) {
  Case c({2, 4, 5, 3});
  std::string per_channel = c.weight({4, 1, 1}, 8);
  std::string per_column = c.weight({3}, 9);
  std::string full = c.weight({1, 4, 5, 3}, 10);
  std::string y = c.b.node("Mul", {c.x, per_channel});
  y = c.b.node("Sub", {y, per_column});
  y = c.b.node("Add", {full, y});
  y = c.b.node("Max", {y, c.x});
  expect_same(c, y, 4);
}

TEST_P(BackendLowering, BroadcastNonConstantSqueezeExcite) {
  Case c({1, 6, 7, 7});
  std::string pooled = c.b.node("GlobalAveragePool", {c.x});
  std::string gate = c.b.node("Sigmoid", {pooled});
  expect_same(c, c.b.node("Mul", {c.x, gate}), 3);
}

TEST_P(BackendLowering, PoolsIncludingCeilModeAndPadding) {
  Case c({1, 3, 10, 11});
  std::string m = c.b.node("MaxPool", {c.x},
                           {{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"ceil_mode", Attribute::make_int(1)}});
  std::string a = c.b.node("AveragePool", {m}, {{"kernel_shape", ints({3, 3})}, {"pads", ints({1, 1, 1, 1})}});
  expect_same(c, c.b.node("GlobalAveragePool", {a}), 3);
}

TEST_P(BackendLowering, GemmBothWeightLayoutsAndFlatten) {
  Case c({3, 8, 1, 1});
  std::string flat = c.b.node("Flatten", {c.x});
  std::string g1 = c.b.node("Gemm", {flat, c.weight({5, 8}, 12), c.weight({5}, 13)}, {{"transB", Attribute::make_int(1)}});
  std::string g2 = c.b.node("Gemm", {g1, c.weight({5, 4}, 14), c.weight({1, 4}, 15)});
  expect_same(c, c.b.node("Softmax", {g2}, {{"axis", Attribute::make_int(1)}}), 4);
}

TEST_P(BackendLowering, MatMulWithConstantWeightsOn3D) {
  Case c({2, 5, 6});
  std::string y = c.b.node("MatMul", {c.x, c.weight({6, 7}, 16)});
  expect_same(c, c.b.node("Softmax", {y}, {{"axis", Attribute::make_int(-1)}}), 2);
}

TEST_P(BackendLowering, FusedConvWithSumAndActivation) {
  Case c({1, 4, 6, 6});
  c.b.import_opset("com.microsoft", 1);
  std::string base = c.b.node("Conv", {c.x, c.weight({4, 4, 1, 1}, 17)});
  auto y = c.b.node_n("FusedConv", {c.x, c.weight({4, 4, 3, 3}, 18), c.weight({4}, 19), base}, 1,
                      {{"pads", ints({1, 1, 1, 1})},
                       {"activation", Attribute::make_string("Clip")},
                       {"activation_params", Attribute::make_floats({0.0f, 0.5f})}},
                      "fused", "com.microsoft");
  expect_same(c, y[0], 2);
}

TEST_P(BackendLowering, UnsupportedNodesSplitPartitionsAndStillAgree) {
  Case c({1, 4, 6, 6});
  std::string y = c.b.node("Conv", {c.x, c.weight({4, 4, 3, 3}, 20)}, {{"pads", ints({1, 1, 1, 1})}});
  y = c.b.node("Tanh", {y});  // no XNNPACK lowering: runs on the reference kernel between two partitions
  y = c.b.node("Conv", {y, c.weight({2, 4, 1, 1}, 21)});
  expect_same(c, y, 2);
}


TEST_P(BackendLowering, GemmTransposesAlphaBetaAndFullBias) {
  Case c({4, 6});
  std::string g = c.b.node("Gemm", {c.x, c.weight({6, 5}, 30), c.weight({4, 5}, 31)},
                           {{"alpha", Attribute::make_float(0.5f)}, {"beta", Attribute::make_float(2.0f)}});
  std::string t = c.b.node("Transpose", {g}, {{"perm", ints({1, 0})}});
  std::string h = c.b.node("Gemm", {t, c.weight({3, 5}, 32), c.weight({3}, 33)},
                           {{"transA", Attribute::make_int(1)}, {"transB", Attribute::make_int(1)}});
  expect_same(c, h, 1, {{"xnnpack", 0}, {"onednn", 3}});
}

TEST_P(BackendLowering, BatchedMatMulBroadcastingWithComputedWeights) {
  Case c({2, 3, 4, 5});
  std::string k = c.b.node("Transpose", {c.x}, {{"perm", ints({0, 1, 3, 2})}});
  std::string scores = c.b.node("MatMul", {c.x, k});                   // [2,3,4,4], B computed
  std::string w = c.b.node("MatMul", {scores, c.weight({4, 6}, 34)});  // constant B broadcast over batches
  std::string v = c.b.node("MatMul", {w, c.weight({1, 3, 6, 2}, 35)});
  expect_same(c, v, 1, {{"xnnpack", 0}, {"onednn", 4}});
}

TEST_P(BackendLowering, MoreActivationsAndPowers) {
  Case c({1, 3, 4, 5}, 20);
  std::string a = c.b.node("Abs", {c.x});
  std::string y = c.b.node("Sqrt", {a});
  y = c.b.node("Log", {c.b.node("Add", {y, c.b.constant("one", Tensor::scalar<float>(1.0f).value())})});
  y = c.b.node("Elu", {y}, {{"alpha", Attribute::make_float(0.7f)}});
  y = c.b.node("Tanh", {y});
  y = c.b.node("Exp", {y});
  y = c.b.node("Pow", {y, c.b.constant("three", Tensor::scalar<float>(3.0f).value())});
  y = c.b.node("Neg", {y});
  y = c.b.node("HardSigmoid", {y}, {{"alpha", Attribute::make_float(0.3f)}});
  std::string z = c.b.node("Softplus", {c.x});
  z = c.b.node("Gelu", {z});
  z = c.b.node("Mish", {z});
  expect_same(c, c.b.node("Mul", {y, z}), 1, {{"xnnpack", 0}, {"onednn", 12}});
}

TEST_P(BackendLowering, SoftmaxAxesAcrossOpsets) {
  Case c11({2, 3, 4, 5}, 11);  // opset 11: softmax over the flattened trailing axes
  expect_same(c11, c11.b.node("Softmax", {c11.x}, {{"axis", Attribute::make_int(1)}}), 1, {{"xnnpack", 0}});
  Case c13({2, 3, 4, 5}, 13);
  std::string y = c13.b.node("Softmax", {c13.x}, {{"axis", Attribute::make_int(1)}});
  expect_same(c13, c13.b.node("LogSoftmax", {y}), 1, {{"xnnpack", 0}, {"onednn", 2}});
}

TEST_P(BackendLowering, LayerAndBatchNormalization) {
  Case c({2, 4, 3, 3});
  std::string bn = c.b.node("BatchNormalization", {c.x, c.weight({4}, 36), c.weight({4}, 37), c.weight({4}, 38),
                                                   c.weight({4}, 39, 0.5f, 1.5f)},
                            {{"epsilon", Attribute::make_float(1e-3f)}});
  std::string ln = c.b.node("LayerNormalization", {bn, c.weight({3, 3}, 40), c.weight({3, 3}, 41)},
                            {{"axis", Attribute::make_int(-2)}});
  expect_same(c, ln, 1, {{"xnnpack", 0}, {"onednn", 2}});
}

// Fire modules: two convolutions write straight into the slices of their concatenation.
TEST_P(BackendLowering, ConcatOfConvolutionsInPlace) {
  Case c({1, 8, 6, 6});
  std::string s = c.b.node("Relu", {c.b.node("Conv", {c.x, c.weight({8, 8, 1, 1}, 42)})});
  std::string e1 = c.b.node("Relu", {c.b.node("Conv", {s, c.weight({16, 8, 1, 1}, 43)})});
  std::string e3 = c.b.node("Relu", {c.b.node("Conv", {s, c.weight({16, 8, 3, 3}, 44)}, {{"pads", ints({1, 1, 1, 1})}})});
  std::string cat = c.b.node("Concat", {e1, e3}, {{"axis", Attribute::make_int(1)}});
  std::string y = c.b.node("Conv", {cat, c.weight({8, 32, 3, 3}, 45)}, {{"pads", ints({1, 1, 1, 1})}});
  expect_same(c, c.b.node("Concat", {y, cat}, {{"axis", Attribute::make_int(1)}}), 1, {{"onednn", 9}});
}

TEST_P(BackendLowering, ReshapesAndTransposesBetweenComputations) {
  Case c({1, 6, 4, 4});
  std::string y = c.b.node("Conv", {c.x, c.weight({8, 6, 1, 1}, 46)});
  std::string r = c.b.node("Reshape", {y, c.b.constant("shape", Tensor::from_vector<int64_t>({3}, {1, 8, 16}).value())});
  std::string t = c.b.node("Transpose", {r}, {{"perm", ints({0, 2, 1})}});
  std::string m = c.b.node("MatMul", {t, c.weight({8, 5}, 47)});
  expect_same(c, c.b.node("Relu", {m}), 1, {{"onednn", 5}});
}

}  // namespace
}  // namespace ew

namespace ew {
namespace {

TEST_P(BackendLowering, ConcatOnChannelsAndOtherAxes) {
  Case c({1, 3, 5, 4});
  std::string a = c.b.node("Conv", {c.x, c.weight({2, 3, 1, 1}, 22)});
  std::string b = c.b.node("Relu", {c.x});
  std::string ch = c.b.node("Concat", {a, b, a}, {{"axis", Attribute::make_int(1)}});
  std::string w = c.b.node("Concat", {ch, ch}, {{"axis", Attribute::make_int(-1)}});
  expect_same(c, w, 4);
}

}  // namespace
}  // namespace ew

namespace ew {
namespace {

EW_INSTANTIATE_FOR_EVERY_BACKEND(BackendLowering);

}  // namespace
}  // namespace ew
