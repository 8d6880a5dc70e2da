#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(AveragePool, PadsExcludedUnlessCounted) {
  auto x = make_f32({1, 1, 1, 3}, {3, 6, 9});
  std::map<std::string, Attribute> a{{"kernel_shape", ints({1, 2})}, {"pads", ints({0, 1, 0, 0})}};
  auto out = run_node("AveragePool", {x}, a);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{3, 4.5f, 7.5f}));
  a["count_include_pad"] = i(1);
  auto inc = run_node("AveragePool", {x}, a);
  ASSERT_TRUE(inc.is_ok());
  EXPECT_EQ(values_f32((*inc)[0]), (std::vector<float>{1.5f, 4.5f, 7.5f}));
}

TEST(AveragePool, TwoDimensionalWindows) {
  auto out = run_node("AveragePool", {make_f32({1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8})},
                      {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}});
  ASSERT_TRUE(out.is_ok());
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{3.5f, 5.5f}));
}

TEST(AveragePool, CeilModeLastWindowIsPartial) {
  auto out = run_node("AveragePool", {make_f32({1, 1, 5}, {1, 2, 3, 4, 5})},
                      {{"kernel_shape", ints({2})}, {"strides", ints({2})}, {"ceil_mode", i(1)}});
  ASSERT_TRUE(out.is_ok());
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1.5f, 3.5f, 5}));
}

TEST(AveragePool, IntegerInputIsAnError) {
  EXPECT_FALSE(run_node("AveragePool", {make_i64({1, 1, 2}, {1, 2})}, {{"kernel_shape", ints({2})}}).is_ok());
}

TEST(AveragePool, InfersValidPadding) {
  EXPECT_EQ(infer_type("AveragePool", {vt(DType::kFloat32, {Dim::symbolic("B"), 8, 7, 7})},
                       {{"kernel_shape", ints({3, 3})}, {"auto_pad", s("VALID")}, {"strides", ints({2, 2})}}),
            "float32[B,8,3,3]");
}

}  // namespace ew
