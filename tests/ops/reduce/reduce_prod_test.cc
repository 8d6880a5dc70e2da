#include <gtest/gtest.h>

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

TEST(ReduceProd, AttributeAndInputAxes) {
  Tensor x = make_f32({2, 3}, {1, 2, 3, 4, 5, 6});
  auto rows = run_node("ReduceProd", {x}, {{"axes", attr_ints({1})}, {"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(rows.is_ok()) << rows.status().to_string();
  EXPECT_EQ(values_f32((*rows)[0]), (std::vector<float>{6, 120}));
  auto cols = run_node("ReduceProd", {x, make_i64({1}, {0})}, {}, 1, 18);
  ASSERT_TRUE(cols.is_ok()) << cols.status().to_string();
  EXPECT_EQ((*cols)[0].shape(), (Shape{1, 3}));
  EXPECT_EQ(values_f32((*cols)[0]), (std::vector<float>{4, 10, 18}));
}

TEST(ReduceProd, EmptySetIsOne) {
  auto out = run_node("ReduceProd", {make<int32_t>({3, 0}, {})}, {{"axes", attr_ints({1})}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(test::values_i64((*out)[0]), (std::vector<int64_t>{1, 1, 1}));
}

TEST(ReduceProd, NoopWithEmptyAxesAtOpset18) {
  auto out = run_node("ReduceProd", {make_f32({2}, {3, 4})}, {{"noop_with_empty_axes", attr_i(1)}}, 1, 18);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{3, 4}));
}

TEST(ReduceProd, AxesMustBeOneDimensional) {
  auto out = run_node("ReduceProd", {make_f32({2, 2}, {1, 2, 3, 4}), make_i64({1, 1}, {0})}, {}, 1, 18);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("1-D"), std::string::npos) << out.status().message();
}

}  // namespace
}  // namespace ew
