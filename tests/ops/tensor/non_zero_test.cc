#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {

TEST(NonZero, Coordinates) {
  auto out = test::run_node("NonZero", {test::make_f32({2, 2}, {1, 0, 1, 1})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(test::values_i64((*out)[0]), (std::vector<int64_t>{0, 1, 1, 0, 0, 1}));
}

TEST(NonZero, BoolAndAllZero) {
  auto out = test::run_node("NonZero", {test::make<bool>({3}, {false, false, false})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 0}));
}

TEST(NonZero, MissingInputIsAnError) { EXPECT_FALSE(test::run_node("NonZero", {}).is_ok()); }

}  // namespace ew
