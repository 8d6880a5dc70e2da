#include <gtest/gtest.h>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::expect_near;
using mtest::run1;
using test::make_f32;
using test::values_f32;

TEST(Det, TwoByTwoAndThreeByThree) {
  expect_near(values_f32(run1("Det", {make_f32({2, 2}, {1, 2, 3, 4})})), {-2});
  // Needs a row swap at the first pivot; by cofactors: 0 - 1*(8 - 12) + 2*(-3) = -2.
  expect_near(values_f32(run1("Det", {make_f32({3, 3}, {0, 1, 2, 1, 0, 3, 4, -3, 8})})), {-2});
}

TEST(Det, BatchedAndSingular) {
  auto y = run1("Det", {make_f32({2, 1, 2, 2}, {2, 0, 0, 3, 1, 2, 2, 4})});
  EXPECT_EQ(y.shape(), (Shape{2, 1}));
  expect_near(values_f32(y), {6, 0});
}

TEST(Det, Errors) {
  mtest::expect_error(test::run_node("Det", {make_f32({2, 3}, {1, 2, 3, 4, 5, 6})}), "square");
  mtest::expect_error(test::run_node("Det", {make_f32({4}, {1, 2, 3, 4})}), "rank");
  mtest::expect_error(test::run_node("Det", {test::make_i64({1, 1}, {1})}), "expected");
}

TEST(Det, SymbolicInference) {
  ValueType in{DType::kFloat64, true, {Dim::symbolic("B"), Dim(3), Dim(3)}};
  auto out = mtest::infer_types("Det", 11, {in});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "float64[B]");
}

}  // namespace
}  // namespace ew
