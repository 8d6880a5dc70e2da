#include <gtest/gtest.h>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::run1;
using test::make_f32;
using test::values_f32;

TEST(Rounding, CeilFloor) {
  auto x = make_f32({4}, {-1.5f, -0.2f, 1.2f, 2});
  EXPECT_EQ(values_f32(run1("Ceil", {x})), (std::vector<float>{-1, -0.f, 2, 2}));
  EXPECT_EQ(values_f32(run1("Floor", {x})), (std::vector<float>{-2, -1, 1, 2}));
}

TEST(Rounding, RoundHalvesToEven) {
  auto x = make_f32({9}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 2.4f, 2.6f, -2.6f});
  EXPECT_EQ(values_f32(run1("Round", {x})), (std::vector<float>{0, 2, 2, -0.f, -2, -2, 2, 3, -3}));
}

TEST(Rounding, RoundFloat64LargeAndNaN) {
  auto y = run1("Round", {test::make<double>({3}, {4503599627370497.0, 1e300, NAN})});
  EXPECT_EQ(y.data<double>()[0], 4503599627370497.0);
  EXPECT_EQ(y.data<double>()[1], 1e300);
  EXPECT_TRUE(std::isnan(y.data<double>()[2]));
}

TEST(Rounding, IntegerInputIsAnErrorAndRoundNeedsOpset11) {
  mtest::expect_error(test::run_node("Floor", {test::make_i64({1}, {1})}), "expected");
  EXPECT_FALSE(test::run_node("Round", {make_f32({1}, {1})}, {}, 1, 10).is_ok());
}

}  // namespace
}  // namespace ew
