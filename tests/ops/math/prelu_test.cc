#include <gtest/gtest.h>

#include <cstdint>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::run1;
using mtest::values;
using test::make;
using test::make_f32;
using test::values_f32;

TEST(PRelu, PerChannelSlopeBroadcast) {
  auto x = make_f32({1, 2, 2}, {-1, 2, -3, 4});
  auto slope = make_f32({2, 1}, {0.5f, 0.1f});
  auto y = run1("PRelu", {x, slope});
  EXPECT_EQ(y.shape(), (Shape{1, 2, 2}));
  EXPECT_EQ(values_f32(y), (std::vector<float>{-0.5f, 2, -0.3f, 4}));
}

TEST(PRelu, ScalarSlopeAndIntegers) {
  EXPECT_EQ(values_f32(run1("PRelu", {make_f32({3}, {-2, 0, 2}), make_f32({}, {0.25f})})),
            (std::vector<float>{-0.5f, 0, 2}));
  EXPECT_EQ(values<int32_t>(run1("PRelu", {make<int32_t>({2}, {-3, 3}), make<int32_t>({1}, {2})})),
            (std::vector<int32_t>{-6, 3}));
}

TEST(PRelu, SlopeMustBroadcastToX) {
  mtest::expect_error(test::run_node("PRelu", {make_f32({2}, {1, 2}), make_f32({2, 2}, {1, 2, 3, 4})}), "slope");
  mtest::expect_error(test::run_node("PRelu", {make_f32({1, 2}, {1, 2}), make_f32({3, 1}, {1, 2, 3})}), "slope");
  mtest::expect_error(test::run_node("PRelu", {make_f32({2}, {1, 2}), make_f32({3}, {1, 2, 3})}), "slope");
}

TEST(PRelu, SymbolicInferenceKeepsXShape) {
  ValueType x{DType::kFloat32, true, {Dim::symbolic("N"), Dim(3), Dim(8)}};
  ValueType s{DType::kFloat32, true, {Dim(3), Dim(1)}};
  auto out = mtest::infer_types("PRelu", 16, {x, s});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "float32[N,3,8]");
}

}  // namespace
}  // namespace ew
