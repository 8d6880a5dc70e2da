#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::attr_i;
using mtest::run1;
using mtest::values;
using test::make;
using test::make_f32;
using test::values_f32;

TEST(Mod, IntegerTakesDivisorSign) {
  auto a = make<int32_t>({4}, {7, -7, 7, -7});
  auto b = make<int32_t>({4}, {3, 3, -3, -3});
  EXPECT_EQ(values<int32_t>(run1("Mod", {a, b})), (std::vector<int32_t>{1, 2, -2, -1}));
  EXPECT_EQ(values<int32_t>(run1("Mod", {a, b}, {{"fmod", attr_i(1)}})), (std::vector<int32_t>{1, -1, 1, -1}));
}

TEST(Mod, FloatFmodAndBroadcast) {
  auto y = run1("Mod", {make_f32({2, 2}, {5.5f, -5.5f, 4, -4}), make_f32({}, {2})}, {{"fmod", attr_i(1)}});
  EXPECT_EQ(values_f32(y), (std::vector<float>{1.5f, -1.5f, 0, -0.f}));
}

TEST(Mod, MinimumByMinusOneAndUnsigned) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(values<int64_t>(run1("Mod", {make<int64_t>({1}, {kMin}), make<int64_t>({1}, {-1})})),
            (std::vector<int64_t>{0}));
  EXPECT_EQ(values<uint8_t>(run1("Mod", {make<uint8_t>({2}, {250, 9}), make<uint8_t>({2}, {7, 10})})),
            (std::vector<uint8_t>{5, 9}));
}

TEST(Mod, Errors) {
  mtest::expect_error(test::run_node("Mod", {make<int32_t>({2}, {1, 2}), make<int32_t>({2}, {1, 0})}), "by zero");
  mtest::expect_error(test::run_node("Mod", {make_f32({1}, {1}), make_f32({1}, {2})}), "fmod must be 1");
  mtest::expect_error(test::run_node("Mod", {make<int32_t>({1}, {1}), make<int32_t>({1}, {2})}, {{"fmod", attr_i(2)}}),
                      "fmod must be 0 or 1");
  mtest::expect_error(test::run_node("Mod", {make<int32_t>({1}, {1}), make<int64_t>({1}, {2})}), "differ");
}

}  // namespace
}  // namespace ew
