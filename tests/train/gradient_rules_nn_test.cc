// The CNN and transformer gradient rules (conv, pooling, normalization,
// gather/slice/split) against central finite differences (gradient_check.h).
// Pooling inputs hold distinct values spaced well beyond the difference step,
// so no window's maximum changes hands while a value is nudged.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "gradient_check.h"
#include "ir/graph_builder.h"

namespace ew::train {
namespace {

using test::check_gradients;
using test::random_tensor;
using Attrs = std::map<std::string, Attribute>;

Attribute ints(std::vector<int64_t> v) { return Attribute::make_ints(std::move(v)); }
Attribute int1(int64_t v) { return Attribute::make_int(v); }
Attribute str(const char* v) { return Attribute::make_string(v); }
Tensor i64(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v).value(); }

// Distinct values `gap` apart, centred on 0, in a seeded random order.
Tensor distinct_tensor(const Shape& shape, uint32_t seed, float gap = 0.05f) {
  Tensor t = random_tensor(shape, seed);
  std::vector<int64_t> order(static_cast<size_t>(t.numel()));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937(seed));
  for (int64_t i = 0; i < t.numel(); ++i)
    t.data<float>()[i] = (static_cast<float>(order[i]) - static_cast<float>(t.numel()) / 2) * gap;
  return t;
}

// One node over constants x, w[, b] (all checked).
Model conv_model(const char* op, const Shape& x, const Shape& w, int64_t maps, bool bias, const Attrs& attrs,
                 int64_t opset = 17) {
  GraphBuilder b("g", opset);
  std::vector<std::string> in{b.constant("x", random_tensor(x, 1)), b.constant("w", random_tensor(w, 2))};
  if (bias) in.push_back(b.constant("b", random_tensor({maps}, 3)));
  b.output(b.node(op, in, attrs));
  return b.build().value();
}

Model pool_model(const char* op, const Shape& x, const Attrs& attrs) {
  GraphBuilder b("g");
  b.output(b.node(op, {b.constant("x", distinct_tensor(x, 4))}, attrs));
  return b.build().value();
}

TEST(GradientRulesNN, ConvStrideAsymmetricPadsBias) {
  Attrs a{{"strides", ints({2, 2})}, {"pads", ints({1, 0, 2, 1})}};
  EXPECT_TRUE(check_gradients(conv_model("Conv", {2, 3, 7, 6}, {4, 3, 3, 3}, 4, true, a), {}));
  EXPECT_TRUE(check_gradients(conv_model("Conv", {2, 3, 7, 6}, {4, 3, 3, 3}, 4, true, a, 11), {}));  // ReduceSum axes attribute
}

TEST(GradientRulesNN, ConvDilationWithoutBias) {
  Attrs a{{"dilations", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}};
  EXPECT_TRUE(check_gradients(conv_model("Conv", {1, 2, 7, 7}, {3, 2, 3, 2}, 3, false, a), {}));
}

TEST(GradientRulesNN, ConvGroupsAndDepthwise) {
  Attrs grouped{{"group", int1(2)}, {"strides", ints({1, 2})}, {"pads", ints({0, 1, 1, 0})}};
  EXPECT_TRUE(check_gradients(conv_model("Conv", {2, 4, 5, 5}, {6, 2, 3, 3}, 6, true, grouped), {}));
  Attrs depthwise{{"group", int1(3)}, {"pads", ints({1, 1, 1, 1})}};
  EXPECT_TRUE(check_gradients(conv_model("Conv", {2, 3, 6, 6}, {3, 1, 3, 3}, 3, true, depthwise), {}));
  EXPECT_TRUE(check_gradients(conv_model("Conv", {2, 3, 6, 6}, {3, 1, 3, 3}, 3, false, depthwise), {}));
}

TEST(GradientRulesNN, ConvAutoPad) {
  for (const char* pad : {"SAME_UPPER", "SAME_LOWER", "VALID"}) {
    SCOPED_TRACE(pad);
    Attrs a{{"auto_pad", str(pad)}, {"strides", ints({2, 2})}};
    EXPECT_TRUE(check_gradients(conv_model("Conv", {1, 2, 6, 5}, {3, 2, 3, 3}, 3, true, a), {}));
  }
}

TEST(GradientRulesNN, ConvPointwiseAndOneDimensional) {
  EXPECT_TRUE(check_gradients(conv_model("Conv", {2, 3, 4, 4}, {5, 3, 1, 1}, 5, true, {}), {}));
  EXPECT_TRUE(check_gradients(conv_model("Conv", {2, 3, 9}, {4, 3, 3}, 4, true, {{"strides", ints({2})}}), {}));
}

TEST(GradientRulesNN, ConvTranspose) {
  Attrs a{{"strides", ints({2, 2})}, {"pads", ints({1, 0, 0, 1})}, {"output_padding", ints({1, 0})}};
  EXPECT_TRUE(check_gradients(conv_model("ConvTranspose", {2, 4, 3, 3}, {4, 3, 3, 3}, 3, true, a), {}));
  Attrs grouped{{"group", int1(2)}, {"strides", ints({2, 1})}, {"dilations", ints({1, 2})}};
  EXPECT_TRUE(check_gradients(conv_model("ConvTranspose", {1, 4, 3, 3}, {4, 2, 3, 3}, 4, true, grouped), {}));
  Attrs same{{"auto_pad", str("SAME_UPPER")}, {"strides", ints({2, 2})}};
  EXPECT_TRUE(check_gradients(conv_model("ConvTranspose", {1, 2, 3, 4}, {2, 3, 3, 3}, 3, false, same), {}));
  Attrs shaped{{"output_shape", ints({6, 7})}, {"strides", ints({2, 2})}};
  EXPECT_TRUE(check_gradients(conv_model("ConvTranspose", {1, 2, 3, 4}, {2, 3, 3, 3}, 3, false, shaped), {}));
}

TEST(GradientRulesNN, MaxPool) {
  EXPECT_TRUE(check_gradients(
      pool_model("MaxPool", {2, 2, 7, 7}, {{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}}),
      {}));
  EXPECT_TRUE(check_gradients(
      pool_model("MaxPool", {1, 2, 5, 6}, {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}, {"ceil_mode", int1(1)}}),
      {}));
  EXPECT_TRUE(check_gradients(
      pool_model("MaxPool", {1, 2, 6, 6}, {{"kernel_shape", ints({2, 2})}, {"dilations", ints({2, 2})}, {"pads", ints({0, 1, 1, 0})}}),
      {}));
  EXPECT_TRUE(check_gradients(
      pool_model("MaxPool", {1, 2, 5, 5}, {{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"auto_pad", str("SAME_UPPER")}}),
      {}));
}

TEST(GradientRulesNN, AveragePool) {
  for (int64_t include : {0, 1}) {
    SCOPED_TRACE(include);
    Attrs a{{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"pads", ints({1, 0, 1, 1})},
            {"count_include_pad", int1(include)}};
    EXPECT_TRUE(check_gradients(pool_model("AveragePool", {2, 2, 6, 7}, a), {}));
    a["ceil_mode"] = int1(1);
    a["pads"] = ints({0, 0, 0, 0});
    EXPECT_TRUE(check_gradients(pool_model("AveragePool", {1, 2, 6, 6}, a), {}));
  }
}

TEST(GradientRulesNN, GlobalPools) {
  EXPECT_TRUE(check_gradients(pool_model("GlobalAveragePool", {2, 3, 4, 5}, {}), {}));
  EXPECT_TRUE(check_gradients(pool_model("GlobalMaxPool", {2, 3, 4, 5}, {}), {}));
}

Model batch_norm_model(const Shape& x) {
  GraphBuilder b("g");
  const int64_t c = x[1];
  std::string y = b.node("BatchNormalization",
                         {b.constant("x", random_tensor(x, 1, -2.0f, 2.0f)), b.constant("scale", random_tensor({c}, 2, 0.5f, 1.5f)),
                          b.constant("bias", random_tensor({c}, 3)), b.constant("mean", random_tensor({c}, 4)),
                          b.constant("var", random_tensor({c}, 5, 0.5f, 1.5f))},
                         {{"epsilon", Attribute::make_float(1e-3f)}});
  b.output(y);
  return b.build().value();
}

TEST(GradientRulesNN, BatchNormTrainingSpatialAndFlat) {
  EXPECT_TRUE(check_gradients(batch_norm_model({3, 2, 3, 3}), {}));
  EXPECT_TRUE(check_gradients(batch_norm_model({6, 3}), {}));
}

Model layer_norm_model(const Shape& x, int64_t axis, const Shape& scale, const Shape& bias, bool stats) {
  GraphBuilder b("g");
  std::vector<std::string> in{b.constant("x", random_tensor(x, 1, -2.0f, 2.0f)), b.constant("scale", random_tensor(scale, 2))};
  if (!bias.empty()) in.push_back(b.constant("bias", random_tensor(bias, 3)));
  b.output(b.node_n("LayerNormalization", in, stats ? 3 : 1, {{"axis", int1(axis)}})[0]);
  return b.build().value();
}

TEST(GradientRulesNN, LayerNormLastAxis) {
  EXPECT_TRUE(check_gradients(layer_norm_model({2, 3, 5}, -1, {5}, {5}, false), {}));
  EXPECT_TRUE(check_gradients(layer_norm_model({2, 3, 5}, -1, {5}, {}, true), {}));  // saved Mean/InvStdDev used
}

TEST(GradientRulesNN, LayerNormAxisMinus2WithBroadcastParameters) {
  EXPECT_TRUE(check_gradients(layer_norm_model({2, 3, 4}, -2, {3, 4}, {4}, false), {}));
  EXPECT_TRUE(check_gradients(layer_norm_model({2, 3, 4}, -2, {1, 4}, {3, 1}, true), {}));
}

TEST(GradientRulesNN, GatherEmbeddingWithRepeatedAndNegativeIndices) {
  GraphBuilder b("g");
  std::string table = b.constant("table", random_tensor({5, 3}, 1));
  std::string ids = b.constant("ids", Tensor::from_vector<int64_t>({2, 3}, {0, 2, -1, 2, 0, 4}).value());
  b.output(b.node("Gather", {table, ids}));
  EXPECT_TRUE(check_gradients(b.build().value(), {}));

  GraphBuilder b1("g");
  std::string data = b1.constant("data", random_tensor({2, 4, 3}, 2));
  b1.output(b1.node("Gather", {data, b1.constant("ids", i64({1, -1, 1}))}, {{"axis", int1(1)}}));
  EXPECT_TRUE(check_gradients(b1.build().value(), {}));
}

TEST(GradientRulesNN, SliceWithStepsAndNegativeValues) {
  GraphBuilder b("g");
  std::string x = b.constant("x", random_tensor({4, 6, 5}, 1));
  b.output(b.node("Slice", {x, b.constant("starts", i64({1, -1})), b.constant("ends", i64({4, -100})),
                            b.constant("axes", i64({0, -2})), b.constant("steps", i64({2, -2}))}));
  b.output(b.node("Slice", {x, b.constant("starts", i64({1, 0})), b.constant("ends", i64({3, 100}))}));
  EXPECT_TRUE(check_gradients(b.build().value(), {}));

  GraphBuilder old("g", 9);  // starts/ends/axes as attributes
  std::string y = old.constant("y", random_tensor({3, 4, 5}, 2));
  old.output(old.node("Slice", {y}, {{"starts", ints({1, -4})}, {"ends", ints({3, 4})}, {"axes", ints({1, 2})}}));
  EXPECT_TRUE(check_gradients(old.build().value(), {}));
}

TEST(GradientRulesNN, SplitWithUnusedOutputs) {
  GraphBuilder b("g");
  std::string x = b.constant("x", random_tensor({2, 7}, 1));
  auto parts = b.node_n("Split", {x, b.constant("split", i64({2, 3, 2}))}, 3, {{"axis", int1(1)}});
  b.output(parts[0]);
  b.output(parts[2]);
  EXPECT_TRUE(check_gradients(b.build().value(), {}));

  GraphBuilder old("g", 11);
  std::string y = old.constant("y", random_tensor({4, 3}, 2));
  auto halves = old.node_n("Split", {y}, 2, {{"axis", int1(0)}});
  old.output(old.node("Tanh", {halves[1]}));
  EXPECT_TRUE(check_gradients(old.build().value(), {}));
}

// conv -> BN -> relu -> maxpool -> GAP -> flatten -> Gemm, every weight checked.
TEST(GradientRulesNN, SmallCnnEndToEnd) {
  GraphBuilder b("g");
  std::string x = b.constant("x", random_tensor({2, 3, 8, 8}, 1));
  std::string h = b.node("Conv", {x, b.constant("w", random_tensor({4, 3, 3, 3}, 2, -0.5f, 0.5f)),
                                  b.constant("cb", random_tensor({4}, 3))},
                         {{"pads", ints({1, 1, 1, 1})}});
  h = b.node("BatchNormalization", {h, b.constant("scale", random_tensor({4}, 4, 0.5f, 1.5f)),
                                    b.constant("shift", random_tensor({4}, 5, 0.2f, 0.8f)),
                                    b.constant("mean", random_tensor({4}, 6)), b.constant("var", random_tensor({4}, 7, 0.5f, 1.5f))});
  h = b.node("Relu", {h});
  h = b.node("MaxPool", {h}, {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}});
  h = b.node("Flatten", {b.node("GlobalAveragePool", {h})});
  b.output(b.node("Gemm", {h, b.constant("fc", random_tensor({4, 3}, 8)), b.constant("fcb", random_tensor({3}, 9))}));
  // A nudge of 1e-2 to a conv weight moves every normalized activation (BN
  // renormalizes the batch), and a few of them then cross Relu's kink or swap
  // a pooling maximum; a step of 1e-3 keeps clear of those (float32 still
  // resolves it at this size).
  test::GradCheckOptions o;
  o.eps = 1e-3f;
  o.max_elements = 32;
  EXPECT_TRUE(check_gradients(b.build().value(), o));
}

}  // namespace
}  // namespace ew::train
