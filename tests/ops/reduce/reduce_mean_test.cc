#include <gtest/gtest.h>

#include <cmath>

#include "reduce_test_util.h"
#include "test_util.h"

namespace ew {
namespace {
using test::attr_i;
using test::attr_ints;
using test::make;
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(ReduceMean, AxesAttributeAtOpset17) {
  auto out = run_node("ReduceMean", {make_f32({2, 2}, {1, 2, 3, 5})}, {{"axes", attr_ints({1})}}, 1, 17);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 1}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1.5f, 4}));
}

TEST(ReduceMean, AxesInputAtOpset18) {
  auto out = run_node("ReduceMean", {make_f32({2, 2}, {1, 2, 3, 5}), make_i64({1}, {0})}, {{"keepdims", attr_i(0)}},
                      1, 18);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{2, 3.5f}));
}

TEST(ReduceMean, IntegerMeanTruncates) {
  auto out = run_node("ReduceMean", {make<int32_t>({2, 2}, {1, 2, 3, 5})}, {{"axes", attr_ints({1})}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(test::values_i64((*out)[0]), (std::vector<int64_t>{1, 4}));
}

TEST(ReduceMean, EmptySetIsNaN) {
  auto out = run_node("ReduceMean", {make_f32({0, 2}, {})}, {{"axes", attr_ints({0})}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 2}));
  EXPECT_TRUE(std::isnan((*out)[0].data<float>()[0]));
}

TEST(ReduceMean, AxesInputBeforeOpset18IsAnError) {
  auto out = run_node("ReduceMean", {make_f32({2, 2}, {1, 2, 3, 5}), make_i64({1}, {0})}, {}, 1, 17);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("has 2 inputs; ReduceMean takes 1 to 1"), std::string::npos) << out.status().message();
}

TEST(ReduceMean, SymbolicInference) {
  ValueType in{DType::kFloat16, true, {Dim::symbolic("B"), Dim::symbolic("T"), Dim(8)}};
  auto out = test::infer_node("ReduceMean", 17, {in}, {}, {{"axes", attr_ints({-1})}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "float16[B,T,1]");
}

}  // namespace
}  // namespace ew
