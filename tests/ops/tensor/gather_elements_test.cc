#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(GatherElements, Axis1) {
  auto out = run_node("GatherElements", {make_f32({2, 2}, {1, 2, 3, 4}), make_i64({2, 2}, {0, 0, 1, 0})},
                      {{"axis", Attribute::make_int(1)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 1, 4, 3}));
}

TEST(GatherElements, Axis0NegativeIndicesSmallerShape) {
  auto out = run_node("GatherElements", {make_f32({3, 2}, {1, 2, 3, 4, 5, 6}), make_i64({1, 2}, {-1, 1})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{5, 4}));
}

TEST(GatherElements, Errors) {
  auto data = make_f32({2, 2}, {1, 2, 3, 4});
  auto out = run_node("GatherElements", {data, make_i64({2, 2}, {0, 2, 0, 0})}, {{"axis", Attribute::make_int(1)}});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
  EXPECT_FALSE(run_node("GatherElements", {data, make_i64({2}, {0, 1})}).is_ok());           // rank mismatch
  EXPECT_FALSE(run_node("GatherElements", {data, make_i64({2, 3}, {0, 0, 0, 0, 0, 0})}).is_ok());  // too wide
}

}  // namespace ew
