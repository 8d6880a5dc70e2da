#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::attr_i;
using atest::expect_near;
using atest::run_ok;
using test::make_f32;
using test::values_f32;

namespace {
const float kS1 = 0.09003057f, kS2 = 0.24472847f, kS3 = 0.66524096f;  // softmax({1, 2, 3})
}

TEST(Softmax, Opset13NormalizesTheLastAxisByDefault) {
  auto out = run_ok("Softmax", {make_f32({1, 2, 3}, {1, 2, 3, 1, 2, 3})}, {}, 1, 13);
  expect_near(values_f32(out[0]), {kS1, kS2, kS3, kS1, kS2, kS3});
}

TEST(Softmax, Opset11CoercesTo2DFromAxis1) {
  // Both rows of 3 form one row of 6: every value is half its 3-element softmax.
  auto out = run_ok("Softmax", {make_f32({1, 2, 3}, {1, 2, 3, 1, 2, 3})}, {}, 1, 11);
  expect_near(values_f32(out[0]), {kS1 / 2, kS2 / 2, kS3 / 2, kS1 / 2, kS2 / 2, kS3 / 2});
}

TEST(Softmax, MiddleAxisAtOpset13) {
  // shape [1, 3, 2]: normalize along the 3 with stride 2.
  auto out = run_ok("Softmax", {make_f32({1, 3, 2}, {1, 5, 2, 5, 3, 5})}, {{"axis", attr_i(1)}}, 1, 13);
  expect_near(values_f32(out[0]), {kS1, 1.0f / 3, kS2, 1.0f / 3, kS3, 1.0f / 3});
}

TEST(Softmax, LargeValuesStayFinite) {
  auto out = run_ok("Softmax", {make_f32({2}, {1000, 1000})});
  expect_near(values_f32(out[0]), {0.5f, 0.5f});
}

TEST(LogSoftmax, AlongAxis0) {
  auto out = run_ok("LogSoftmax", {make_f32({3, 1}, {1, 2, 3})}, {{"axis", attr_i(0)}}, 1, 13);
  expect_near(values_f32(out[0]), {-2.40760596f, -1.40760596f, -0.40760596f});
}

TEST(Hardmax, FirstMaximumWinsAndOpsetSemanticsDiffer) {
  auto out = run_ok("Hardmax", {make_f32({2, 3}, {1, 3, 3, 5, 0, -1})}, {}, 1, 13);
  EXPECT_EQ(values_f32(out[0]), (std::vector<float>{0, 1, 0, 1, 0, 0}));
  auto x = make_f32({1, 2, 2}, {1, 2, 4, 3});
  EXPECT_EQ(values_f32(run_ok("Hardmax", {x}, {}, 1, 11)[0]), (std::vector<float>{0, 0, 1, 0}));
  EXPECT_EQ(values_f32(run_ok("Hardmax", {x}, {}, 1, 13)[0]), (std::vector<float>{0, 1, 1, 0}));
}

TEST(Softmax, AxisOutOfRangeIsAnError) {
  atest::expect_error(test::run_node("Softmax", {make_f32({2, 2}, {1, 2, 3, 4})}, {{"axis", attr_i(2)}}, 1, 13),
                      "axis");
  atest::expect_error(test::run_node("LogSoftmax", {test::make_i64({2}, {1, 2})}), "float");
}

TEST(Softmax, InferKeepsSymbolicDims) {
  auto types = atest::infer_types("Softmax", 13, {atest::sym_type(DType::kFloat32, {Dim::symbolic("N"), 4})},
                                  {{"axis", attr_i(1)}});
  ASSERT_TRUE(types.is_ok()) << types.status().to_string();
  EXPECT_EQ((*types)[0].to_string(), "float32[N,4]");
}

}  // namespace ew
