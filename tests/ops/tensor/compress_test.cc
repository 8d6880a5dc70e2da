#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::run_node;
using test::values_f32;

TEST(Compress, AlongAxisWithShortCondition) {
  auto out = run_node("Compress", {make_f32({3, 2}, {1, 2, 3, 4, 5, 6}), test::make<bool>({2}, {false, true})},
                      {{"axis", Attribute::make_int(0)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{3, 4}));
}

TEST(Compress, FlattenedWithoutAxis) {
  auto out = run_node("Compress", {make_f32({2, 2}, {1, 2, 3, 4}), test::make<bool>({4}, {true, false, false, true})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 4}));
}

TEST(Compress, Errors) {
  auto x = make_f32({2}, {1, 2});
  EXPECT_FALSE(run_node("Compress", {x, test::make<bool>({3}, {false, false, true})}).is_ok());
  EXPECT_FALSE(run_node("Compress", {x, test::make_i64({2}, {1, 0})}).is_ok());
  EXPECT_FALSE(run_node("Compress", {x, test::make<bool>({2}, {true, true})}, {{"axis", Attribute::make_int(1)}}).is_ok());
}

}  // namespace ew
