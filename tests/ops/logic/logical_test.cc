#include <gtest/gtest.h>

#include "../math/math_test_util.h"

namespace ew {
namespace {
using mtest::run1;
using mtest::values;
using test::make;

TEST(Logical, AndOrXorBroadcast) {
  auto a = make<bool>({2, 2}, {true, true, false, false});
  auto b = make<bool>({2}, {true, false});
  EXPECT_EQ(values<bool>(run1("And", {a, b})), (std::vector<bool>{true, false, false, false}));
  EXPECT_EQ(values<bool>(run1("Or", {a, b})), (std::vector<bool>{true, true, true, false}));
  EXPECT_EQ(values<bool>(run1("Xor", {a, b})), (std::vector<bool>{false, true, true, false}));
}

TEST(Logical, Not) {
  EXPECT_EQ(values<bool>(run1("Not", {make<bool>({3}, {true, false, true})})), (std::vector<bool>{false, true, false}));
}

TEST(Logical, NonBoolInputsAreErrors) {
  auto f = test::make_f32({1}, {1});
  mtest::expect_error(test::run_node("And", {f, f}), "expected bool");
  mtest::expect_error(test::run_node("Not", {f}), "expected");
  auto a = make<bool>({2}, {true, false});
  mtest::expect_error(test::run_node("Or", {a, make<bool>({3}, {true, true, true})}), "broadcast");
}

TEST(Logical, SymbolicInference) {
  ValueType a{DType::kBool, true, {Dim::symbolic("N"), Dim(1)}};
  ValueType b{DType::kBool, true, {Dim(5)}};
  auto out = mtest::infer_types("Xor", 7, {a, b});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "bool[N,5]");
}

}  // namespace
}  // namespace ew
