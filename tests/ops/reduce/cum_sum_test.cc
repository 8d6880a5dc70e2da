#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "reduce_test_util.h"
#include "test_util.h"

namespace ew {
namespace {
using test::attr_i;
using test::make;
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;
using test::values_i64;

Tensor axis0(int64_t a) { return make_i64({}, {a}); }

TEST(CumSum, OneDimensionalModes) {
  Tensor x = make_f32({5}, {1, 2, 3, 4, 5});
  auto plain = run_node("CumSum", {x, axis0(0)}, {}, 1, 14);
  ASSERT_TRUE(plain.is_ok()) << plain.status().to_string();
  EXPECT_EQ(values_f32((*plain)[0]), (std::vector<float>{1, 3, 6, 10, 15}));
  auto exclusive = run_node("CumSum", {x, axis0(0)}, {{"exclusive", attr_i(1)}}, 1, 14);
  EXPECT_EQ(values_f32((*exclusive)[0]), (std::vector<float>{0, 1, 3, 6, 10}));
  auto reverse = run_node("CumSum", {x, axis0(0)}, {{"reverse", attr_i(1)}}, 1, 14);
  EXPECT_EQ(values_f32((*reverse)[0]), (std::vector<float>{15, 14, 12, 9, 5}));
  auto both = run_node("CumSum", {x, axis0(0)}, {{"reverse", attr_i(1)}, {"exclusive", attr_i(1)}}, 1, 11);
  ASSERT_TRUE(both.is_ok()) << both.status().to_string();
  EXPECT_EQ(values_f32((*both)[0]), (std::vector<float>{14, 12, 9, 5, 0}));
}

TEST(CumSum, TwoDimensionalAxes) {
  Tensor x = make<int32_t>({2, 3}, {1, 2, 3, 4, 5, 6});
  auto rows = run_node("CumSum", {x, make<int32_t>({1}, {0})}, {}, 1, 14);
  ASSERT_TRUE(rows.is_ok()) << rows.status().to_string();
  EXPECT_EQ(values_i64((*rows)[0]), (std::vector<int64_t>{1, 2, 3, 5, 7, 9}));
  auto cols = run_node("CumSum", {x, axis0(-1)}, {}, 1, 14);
  ASSERT_TRUE(cols.is_ok()) << cols.status().to_string();
  EXPECT_EQ(values_i64((*cols)[0]), (std::vector<int64_t>{1, 3, 6, 4, 9, 15}));
}

TEST(CumSum, BadAxisIsAnError) {
  Tensor x = make_f32({2}, {1, 2});
  auto range = run_node("CumSum", {x, axis0(1)}, {}, 1, 14);
  ASSERT_FALSE(range.is_ok());
  EXPECT_NE(range.status().message().find("out of range"), std::string::npos);
  EXPECT_FALSE(run_node("CumSum", {x, make_f32({}, {0})}, {}, 1, 14).is_ok());
  EXPECT_FALSE(run_node("CumSum", {x, make_i64({2}, {0, 0})}, {}, 1, 14).is_ok());
  EXPECT_FALSE(run_node("CumSum", {x, axis0(0)}, {}, 1, 10).is_ok());  // not defined before opset 11
}

TEST(CumSum, SymbolicInference) {
  ValueType in{DType::kFloat32, true, {Dim::symbolic("N"), Dim(4)}};
  auto out = test::infer_node("CumSum", 14, {in, ValueType::of(DType::kInt64, {})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "float32[N,4]");
}

}  // namespace
}  // namespace ew
