#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::run_node;
using test::values_f32;

TEST(Concat, Axis1) {
  auto out = run_node("Concat", {make_f32({2, 1}, {1, 2}), make_f32({2, 2}, {3, 4, 5, 6})},
                      {{"axis", Attribute::make_int(1)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 3, 4, 2, 5, 6}));
}

TEST(Concat, NegativeAxisAndEmptyInput) {
  auto out = run_node("Concat", {make_f32({2}, {1, 2}), make_f32({0}, {}), make_f32({1}, {3})},
                      {{"axis", Attribute::make_int(-1)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 2, 3}));
}

TEST(Concat, MismatchedDimsAreAnError) {
  auto out = run_node("Concat", {make_f32({2, 1}, {1, 2}), make_f32({3, 1}, {3, 4, 5})}, {{"axis", Attribute::make_int(1)}});
  EXPECT_FALSE(out.is_ok());
  EXPECT_FALSE(run_node("Concat", {make_f32({2}, {1, 2})}).is_ok());  // axis is required
}

}  // namespace ew
