#include <gtest/gtest.h>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::attr_i;
using mtest::run1;
using mtest::values;
using test::make_f32;

TEST(FloatClassification, IsNaN) {
  auto y = run1("IsNaN", {make_f32({4}, {1, NAN, INFINITY, -NAN})});
  EXPECT_EQ(y.dtype(), DType::kBool);
  EXPECT_EQ(values<bool>(y), (std::vector<bool>{false, true, false, true}));
}

TEST(FloatClassification, IsInfDetectsSigns) {
  auto x = make_f32({4}, {-INFINITY, INFINITY, NAN, 1e38f});
  EXPECT_EQ(values<bool>(run1("IsInf", {x})), (std::vector<bool>{true, true, false, false}));
  EXPECT_EQ(values<bool>(run1("IsInf", {x}, {{"detect_negative", attr_i(0)}})),
            (std::vector<bool>{false, true, false, false}));
  EXPECT_EQ(values<bool>(run1("IsInf", {x}, {{"detect_positive", attr_i(0)}})),
            (std::vector<bool>{true, false, false, false}));
}

TEST(FloatClassification, Float16Infinity) {
  auto y = run1("IsInf", {test::make<float16>({2}, {float16(70000.f), float16(1.f)})});
  EXPECT_EQ(values<bool>(y), (std::vector<bool>{true, false}));
}

TEST(FloatClassification, IntegerInputIsAnError) {
  mtest::expect_error(test::run_node("IsNaN", {test::make_i64({1}, {1})}), "expected");
}

TEST(FloatClassification, SymbolicInference) {
  ValueType in{DType::kFloat64, true, {Dim::symbolic("N")}};
  auto out = mtest::infer_types("IsInf", 10, {in});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "bool[N]");
}

}  // namespace
}  // namespace ew
