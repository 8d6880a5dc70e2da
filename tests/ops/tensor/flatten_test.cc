#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::run_node;

TEST(Flatten, Axes) {
  auto x = make_f32({2, 3, 4}, std::vector<float>(24, 0.0f));
  auto shape_for = [&](int64_t axis) {
    auto out = run_node("Flatten", {x}, {{"axis", Attribute::make_int(axis)}});
    EXPECT_TRUE(out.is_ok()) << out.status().to_string();
    return out.is_ok() ? (*out)[0].shape() : Shape{};
  };
  EXPECT_EQ(shape_for(0), (Shape{1, 24}));
  EXPECT_EQ(shape_for(1), (Shape{2, 12}));
  EXPECT_EQ(shape_for(3), (Shape{24, 1}));
  EXPECT_EQ(shape_for(-1), (Shape{6, 4}));
}

TEST(Flatten, AxisOutOfRange) {
  auto x = make_f32({2, 3}, std::vector<float>(6, 0.0f));
  EXPECT_FALSE(run_node("Flatten", {x}, {{"axis", Attribute::make_int(3)}}).is_ok());
  EXPECT_FALSE(run_node("Flatten", {x}, {{"axis", Attribute::make_int(-3)}}).is_ok());
}

}  // namespace ew
