#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::run_node;
using test::values_f32;

namespace {
Tensor ones_3x3() { return make_f32({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }
}  // namespace

TEST(Trilu, UpperDefault) {
  auto out = run_node("Trilu", {ones_3x3()}, {}, 1, 14);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 2, 3, 0, 5, 6, 0, 0, 9}));
}

TEST(Trilu, LowerWithK) {
  auto out = run_node("Trilu", {ones_3x3(), test::make_i64({}, {-1})}, {{"upper", Attribute::make_int(0)}}, 1, 14);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 0, 0, 4, 0, 0, 7, 8, 0}));
  auto big = run_node("Trilu", {ones_3x3(), test::make_i64({}, {INT64_MAX})}, {}, 1, 14);
  ASSERT_TRUE(big.is_ok());
  EXPECT_EQ(values_f32((*big)[0]), std::vector<float>(9, 0.0f));
}

TEST(Trilu, Errors) {
  EXPECT_FALSE(run_node("Trilu", {make_f32({3}, {1, 2, 3})}, {}, 1, 14).is_ok());
  EXPECT_FALSE(run_node("Trilu", {ones_3x3(), make_f32({}, {1})}, {}, 1, 14).is_ok());
}

}  // namespace ew
