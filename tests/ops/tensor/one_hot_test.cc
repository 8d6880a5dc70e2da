#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(OneHot, DefaultLastAxisWithNegativeAndOutOfRange) {
  auto out = run_node("OneHot", {make_i64({3}, {0, -1, 5}), make_f32({}, {3}), make_f32({2}, {0, 1})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{3, 3}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 0, 0, 0, 0, 1, 0, 0, 0}));
}

TEST(OneHot, Axis0CustomValues) {
  auto out = run_node("OneHot", {make_i64({2}, {1, 0}), make_i64({1}, {2}), make_f32({2}, {-1, 5})},
                      {{"axis", Attribute::make_int(0)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2}));
  // out[d][i] = on when indices[i] == d.
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{-1, 5, 5, -1}));
}

TEST(OneHot, Errors) {
  auto idx = make_i64({2}, {1, 0});
  EXPECT_FALSE(run_node("OneHot", {idx, make_f32({}, {0}), make_f32({2}, {0, 1})}).is_ok());
  EXPECT_FALSE(run_node("OneHot", {idx, make_f32({}, {2}), make_f32({3}, {0, 1, 2})}).is_ok());
  EXPECT_FALSE(run_node("OneHot", {idx, make_f32({}, {2}), make_f32({2}, {0, 1})}, {{"axis", Attribute::make_int(2)}}).is_ok());
}

}  // namespace ew
