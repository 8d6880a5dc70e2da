#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

TEST(DynamicQuantizeLinear, RangeIncludesZero) {
  auto out = test::run_node("DynamicQuantizeLinear", {f32({4}, {-1, 0, 1, 3})}, {}, 3, 11);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  // scale = 4 / 255, zero point = round(1 / scale) = round(63.75) = 64.
  EXPECT_NEAR(test::values_f32((*out)[1])[0], 4.0f / 255.0f, 1e-9f);
  EXPECT_EQ(ints((*out)[2]), (std::vector<int64_t>{64}));
  EXPECT_EQ(ints((*out)[0]), (std::vector<int64_t>{0, 64, 128, 255}));
}

TEST(DynamicQuantizeLinear, PositiveDataStillStartsAtZero) {
  auto out = test::run_node("DynamicQuantizeLinear", {f32({2}, {0.5f, 2})}, {}, 3, 11);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(ints((*out)[2]), (std::vector<int64_t>{0}));
  EXPECT_EQ(ints((*out)[0]), (std::vector<int64_t>{64, 255}));  // 0.5 * 255 / 2 = 63.75
}

TEST(DynamicQuantizeLinear, AllZerosUsesUnitScale) {
  auto out = test::run_node("DynamicQuantizeLinear", {f32({3}, {0, 0, 0})}, {}, 3, 11);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(test::values_f32((*out)[1]), (std::vector<float>{1}));
  EXPECT_EQ(ints((*out)[0]), (std::vector<int64_t>{0, 0, 0}));
}

TEST(DynamicQuantizeLinear, NonFloatInputIsAnError) {
  auto out = test::run_node("DynamicQuantizeLinear", {i32({1}, {1})}, {}, 3, 11);
  EXPECT_FALSE(out.is_ok());
}

}  // namespace
}  // namespace ew
