#include <gtest/gtest.h>

#include <cstdint>

#include "../math/math_test_util.h"

namespace ew {
namespace {
using mtest::run1;
using mtest::values;
using test::make;
using test::make_f32;

using Bools = std::vector<bool>;

TEST(Comparison, FloatBroadcast) {
  auto a = make_f32({2, 2}, {1, 2, 3, NAN});
  auto b = make_f32({2}, {2, 2});
  EXPECT_EQ(values<bool>(run1("Equal", {a, b})), (Bools{false, true, false, false}));
  EXPECT_EQ(values<bool>(run1("Less", {a, b})), (Bools{true, false, false, false}));
  EXPECT_EQ(values<bool>(run1("LessOrEqual", {a, b})), (Bools{true, true, false, false}));
  EXPECT_EQ(values<bool>(run1("Greater", {a, b})), (Bools{false, false, true, false}));
  EXPECT_EQ(values<bool>(run1("GreaterOrEqual", {a, b})), (Bools{false, true, true, false}));
}

TEST(Comparison, IntegersBoolsAndHalf) {
  auto a = make<uint64_t>({2}, {18446744073709551615ull, 0});
  auto b = make<uint64_t>({2}, {1, 0});
  EXPECT_EQ(values<bool>(run1("Greater", {a, b})), (Bools{true, false}));
  EXPECT_EQ(values<bool>(run1("Equal", {make<bool>({2}, {true, false}), make<bool>({}, {false})})), (Bools{false, true}));
  auto h = make<float16>({2}, {float16(1.5f), float16(-1.f)});
  EXPECT_EQ(values<bool>(run1("Less", {h, make<float16>({1}, {float16(0.f)})})), (Bools{false, true}));
}

TEST(Comparison, Errors) {
  mtest::expect_error(test::run_node("Less", {make_f32({1}, {1}), make<double>({1}, {1})}), "differ");
  auto t = make<bool>({1}, {true});
  mtest::expect_error(test::run_node("Greater", {t, t}), "expected");
  EXPECT_FALSE(test::run_node("LessOrEqual", {make_f32({1}, {1}), make_f32({1}, {1})}, {}, 1, 11).is_ok());
}

TEST(Comparison, SymbolicInference) {
  ValueType a{DType::kInt32, true, {Dim::symbolic("N")}};
  auto out = mtest::infer_types("Equal", 13, {a, a});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "bool[N]");
}

}  // namespace
}  // namespace ew
