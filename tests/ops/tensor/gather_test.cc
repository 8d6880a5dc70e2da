#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(Gather, Axis0WithNegativeIndex) {
  auto out = run_node("Gather", {make_f32({3, 2}, {1, 2, 3, 4, 5, 6}), make_i64({2, 1}, {-1, 0})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 1, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{5, 6, 1, 2}));
}

TEST(Gather, Axis1ScalarIndexInt32) {
  auto out = run_node("Gather", {make_f32({2, 3}, {1, 2, 3, 4, 5, 6}), test::make<int32_t>({}, {2})},
                      {{"axis", Attribute::make_int(1)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{3, 6}));
}

TEST(Gather, OutOfRangeIndexIsAnError) {
  auto out = run_node("Gather", {make_f32({3}, {1, 2, 3}), make_i64({1}, {3})});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
  EXPECT_FALSE(run_node("Gather", {make_f32({3}, {1, 2, 3}), make_i64({1}, {-4})}).is_ok());
  EXPECT_FALSE(run_node("Gather", {make_f32({3}, {1, 2, 3}), make_f32({1}, {0})}).is_ok());
}

}  // namespace ew
