// Every gradient rule of src/train/rules/ against central finite differences
// (gradient_check.h), on small random shapes including broadcasting.
#include <gtest/gtest.h>

#include "gradient_check.h"
#include "ir/graph_builder.h"

namespace ew::train {
namespace {

using test::check_gradients;
using test::GradCheckOptions;
using test::random_tensor;

// A model with one node whose float inputs are all constants (so all are checked).
Model single(const std::string& op, const std::vector<Shape>& shapes, const std::map<std::string, Attribute>& attrs = {},
             bool away = false, float lo = -1.0f, float hi = 1.0f, int64_t opset = 17) {
  GraphBuilder b("g", opset);
  std::vector<std::string> in;
  for (size_t i = 0; i < shapes.size(); ++i)
    in.push_back(b.constant("p" + std::to_string(i), random_tensor(shapes[i], 10 + static_cast<uint32_t>(i), lo, hi, away)));
  b.output(b.node(op, in, attrs, "node"));
  return b.build().value();
}

TEST(GradientRules, AddSubMulDivWithBroadcasting) {
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) {
    SCOPED_TRACE(op);
    EXPECT_TRUE(check_gradients(single(op, {{2, 3, 4}, {3, 1}}, {}, true, 0.5f, 1.5f), {}));
    EXPECT_TRUE(check_gradients(single(op, {{4}, {2, 3, 4}}, {}, true, 0.5f, 1.5f), {}));
    EXPECT_TRUE(check_gradients(single(op, {{2, 1, 4}, {1, 3, 1}}, {}, true, 0.5f, 1.5f), {}));
  }
}

TEST(GradientRules, Pow) { EXPECT_TRUE(check_gradients(single("Pow", {{3, 4}, {4}}, {}, false, 0.5f, 1.5f), {})); }

TEST(GradientRules, Activations) {
  for (const char* op : {"Relu", "Sigmoid", "Tanh", "HardSwish", "Gelu", "Softplus", "Abs", "Erf", "Elu", "Neg", "Exp"}) {
    SCOPED_TRACE(op);
    EXPECT_TRUE(check_gradients(single(op, {{3, 5}}, {}, true, -2.0f, 2.0f, 20), {}));  // Gelu is opset 20
  }
  EXPECT_TRUE(check_gradients(single("LeakyRelu", {{3, 5}}, {{"alpha", Attribute::make_float(0.1f)}}, true), {}));
  EXPECT_TRUE(check_gradients(
      single("HardSigmoid", {{3, 5}}, {{"alpha", Attribute::make_float(0.3f)}, {"beta", Attribute::make_float(0.4f)}}, true), {}));
  EXPECT_TRUE(check_gradients(
      single("Gelu", {{3, 5}}, {{"approximate", Attribute::make_string("tanh")}}, true, -2.0f, 2.0f, 20), {}));
  for (const char* op : {"Log", "Sqrt", "Reciprocal"}) {
    SCOPED_TRACE(op);
    EXPECT_TRUE(check_gradients(single(op, {{3, 5}}, {}, false, 0.5f, 2.0f), {}));
  }
}

TEST(GradientRules, ClipAsRelu6) {
  GraphBuilder b("g");
  std::string x = b.constant("x", random_tensor({4, 6}, 3, -3.0f, 9.0f, true));
  b.output(b.node("Clip", {x, b.constant("lo", Tensor::scalar<float>(0.0f).value()),
                           b.constant("hi", Tensor::scalar<float>(6.0f).value())}));
  EXPECT_TRUE(check_gradients(b.build().value(), {}));
}

TEST(GradientRules, MatMulBatchedAndBroadcast) {
  EXPECT_TRUE(check_gradients(single("MatMul", {{3, 4}, {4, 5}}), {}));
  EXPECT_TRUE(check_gradients(single("MatMul", {{2, 3, 4}, {4, 5}}), {}));
  EXPECT_TRUE(check_gradients(single("MatMul", {{2, 1, 3, 4}, {3, 4, 2}}), {}));
}

TEST(GradientRules, GemmEveryTranspose) {
  for (int64_t ta : {0, 1})
    for (int64_t tb : {0, 1}) {
      SCOPED_TRACE(std::to_string(ta) + std::to_string(tb));
      Shape a = ta ? Shape{4, 3} : Shape{3, 4}, b = tb ? Shape{5, 4} : Shape{4, 5};
      std::map<std::string, Attribute> attrs{{"transA", Attribute::make_int(ta)}, {"transB", Attribute::make_int(tb)},
                                             {"alpha", Attribute::make_float(0.7f)}, {"beta", Attribute::make_float(1.3f)}};
      EXPECT_TRUE(check_gradients(single("Gemm", {a, b, {5}}, attrs), {}));
      EXPECT_TRUE(check_gradients(single("Gemm", {a, b, {3, 5}}, attrs), {}));
    }
}

TEST(GradientRules, ShapeOps) {
  GraphBuilder b("g");
  std::string x = b.constant("x", random_tensor({2, 3, 4}, 1));
  std::string r = b.node("Reshape", {x, b.constant("s", Tensor::from_vector<int64_t>({2}, {4, 6}).value())});
  std::string t = b.node("Transpose", {r}, {{"perm", Attribute::make_ints({1, 0})}});
  std::string f = b.node("Flatten", {b.node("Unsqueeze", {t, b.constant("a", Tensor::from_vector<int64_t>({1}, {0}).value())})},
                         {{"axis", Attribute::make_int(1)}});
  b.output(b.node("Identity", {f}));
  EXPECT_TRUE(check_gradients(b.build().value(), {}));
}

TEST(GradientRules, SoftmaxAndLogSoftmax) {
  for (const char* op : {"Softmax", "LogSoftmax"})
    for (int64_t axis : {-1, 1}) {
      SCOPED_TRACE(std::string(op) + std::to_string(axis));
      EXPECT_TRUE(check_gradients(single(op, {{2, 4, 3}}, {{"axis", Attribute::make_int(axis)}}), {}));
    }
}

TEST(GradientRules, ReduceSumAndMean) {
  for (int64_t keep : {0, 1}) {
    GraphBuilder b("g");
    std::string x = b.constant("x", random_tensor({2, 3, 4}, 1));
    std::string s = b.node("ReduceSum", {x, b.constant("ax", Tensor::from_vector<int64_t>({2}, {0, 2}).value())},
                           {{"keepdims", Attribute::make_int(keep)}});
    std::string m = b.node("ReduceMean", {x}, {{"axes", Attribute::make_ints({-1})}, {"keepdims", Attribute::make_int(keep)}});
    b.output(s);
    b.output(m);
    Model model = b.build().value();
    model.opsets[0].version = 17;
    EXPECT_TRUE(check_gradients(model, {}));
  }
}

TEST(GradientRules, Concat) {
  EXPECT_TRUE(check_gradients(single("Concat", {{2, 3}, {2, 1}, {2, 4}}, {{"axis", Attribute::make_int(1)}}), {}));
  EXPECT_TRUE(check_gradients(single("Concat", {{2, 3}, {1, 3}}, {{"axis", Attribute::make_int(0)}}, false, -1, 1, 11), {}));
}

TEST(GradientRules, ParametersUsedTwiceSumTheirGradients) {
  GraphBuilder b("g");
  std::string w = b.constant("w", random_tensor({3, 3}, 1));
  std::string x = b.constant("x", random_tensor({2, 3}, 2));
  std::string h = b.node("Tanh", {b.node("MatMul", {x, w})});
  b.output(b.node("MatMul", {h, w}));
  EXPECT_TRUE(check_gradients(b.build().value(), {}));
}

}  // namespace
}  // namespace ew::train
