#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(Upsample, NearestRepeatsFromScalesInput) {
  auto out = run_node("Upsample", {make_f32({1, 1, 1, 2}, {1, 2}), make_f32({4}, {1, 1, 2, 3})}, {}, 1, 9);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 1, 2, 6}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2}));
}

TEST(Upsample, LinearFromScalesAttributeAtOpset7) {
  auto out = run_node("Upsample", {make_f32({1, 2}, {0, 4})}, {{"mode", s("linear")}, {"scales", Attribute::make_floats({1, 2})}},
                      1, 7);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 2, 4, 4}));
}

TEST(Upsample, WrongScaleCountIsAnError) {
  EXPECT_FALSE(run_node("Upsample", {make_f32({1, 2}, {0, 4}), make_f32({1}, {2})}, {}, 1, 9).is_ok());
  EXPECT_FALSE(run_node("Upsample", {make_f32({1, 2}, {0, 4}), make_f32({2}, {1, 0.5f})}, {}, 1, 9).is_ok());
}

}  // namespace ew
