#include <gtest/gtest.h>

#include <cstdint>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::attr_f;
using mtest::run1;
using mtest::values;
using test::make;
using test::make_f32;
using test::values_f32;

TEST(Shrink, HardDefault) {
  auto y = run1("Shrink", {make_f32({5}, {-2, -0.5f, 0, 0.5f, 2})});
  EXPECT_EQ(values_f32(y), (std::vector<float>{-2, 0, 0, 0, 2}));
}

TEST(Shrink, SoftWithBias) {
  auto y = run1("Shrink", {make_f32({5}, {-2, -1, 0, 1, 2})}, {{"lambd", attr_f(1.5f)}, {"bias", attr_f(1.5f)}});
  EXPECT_EQ(values_f32(y), (std::vector<float>{-0.5f, 0, 0, 0, 0.5f}));
}

TEST(Shrink, Integers) {
  auto y = run1("Shrink", {make<int8_t>({4}, {-128, -1, 3, 127})}, {{"lambd", attr_f(1)}, {"bias", attr_f(2)}});
  EXPECT_EQ(values<int8_t>(y), (std::vector<int8_t>{-126, 0, 1, 125}));
}

TEST(Shrink, BoolIsAnError) {
  mtest::expect_error(test::run_node("Shrink", {make<bool>({1}, {true})}), "expected");
}

}  // namespace
}  // namespace ew
