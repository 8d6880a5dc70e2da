#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::run_node;

TEST(Range, FloatPositiveDelta) {
  auto out = run_node("Range", {test::make_f32({}, {1}), test::make_f32({}, {2}), test::make_f32({}, {0.25f})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(test::values_f32((*out)[0]), (std::vector<float>{1, 1.25f, 1.5f, 1.75f}));
}

TEST(Range, IntNegativeDeltaAndEmpty) {
  auto out = run_node("Range", {test::make<int32_t>({}, {10}), test::make<int32_t>({}, {4}), test::make<int32_t>({}, {-3})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(test::values_i64((*out)[0]), (std::vector<int64_t>{10, 7}));
  auto empty = run_node("Range", {test::make_i64({}, {5}), test::make_i64({}, {1}), test::make_i64({}, {1})});
  ASSERT_TRUE(empty.is_ok()) << empty.status().to_string();
  EXPECT_EQ((*empty)[0].shape(), (Shape{0}));
}

TEST(Range, Errors) {
  EXPECT_FALSE(run_node("Range", {test::make_i64({}, {0}), test::make_i64({}, {5}), test::make_i64({}, {0})}).is_ok());
  EXPECT_FALSE(run_node("Range", {test::make_i64({}, {0}), test::make_f32({}, {5}), test::make_i64({}, {1})}).is_ok());
  EXPECT_FALSE(run_node("Range", {test::make_i64({2}, {0, 1}), test::make_i64({}, {5}), test::make_i64({}, {1})}).is_ok());
}

}  // namespace ew
