#include <gtest/gtest.h>

#include <cstdint>

#include "../math/math_test_util.h"

namespace ew {
namespace {
using mtest::run1;
using mtest::values;
using test::make;
using test::make_f32;
using test::values_f32;

TEST(Where, ThreeWayBroadcast) {
  auto c = make<bool>({2, 1}, {true, false});
  auto x = make_f32({3}, {1, 2, 3});
  auto y = make_f32({}, {-1});
  auto out = run1("Where", {c, x, y});
  EXPECT_EQ(out.shape(), (Shape{2, 3}));
  EXPECT_EQ(values_f32(out), (std::vector<float>{1, 2, 3, -1, -1, -1}));
}

TEST(Where, ElementwiseInt64AndBool) {
  auto c = make<bool>({3}, {true, false, true});
  auto out = run1("Where", {c, make<int64_t>({3}, {1, 2, 3}), make<int64_t>({3}, {7, 8, 9})});
  EXPECT_EQ(values<int64_t>(out), (std::vector<int64_t>{1, 8, 3}));
  auto b = run1("Where", {c, make<bool>({}, {false}), make<bool>({}, {true})});
  EXPECT_EQ(values<bool>(b), (std::vector<bool>{false, true, false}));
}

TEST(Where, Errors) {
  auto x = make_f32({2}, {1, 2});
  mtest::expect_error(test::run_node("Where", {x, x, x}), "expected bool");
  auto c = make<bool>({2}, {true, false});
  mtest::expect_error(test::run_node("Where", {c, x, make<double>({2}, {1, 2})}), "differ");
  mtest::expect_error(test::run_node("Where", {make<bool>({3}, {true, true, true}), x, x}), "broadcast");
}

TEST(Where, SymbolicInference) {
  ValueType c{DType::kBool, true, {Dim::symbolic("N"), Dim(1)}};
  ValueType x{DType::kFloat16, true, {Dim(4)}};
  ValueType y{DType::kFloat16, true, {}};
  auto out = mtest::infer_types("Where", 16, {c, x, y});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "float16[N,4]");
}

}  // namespace
}  // namespace ew
