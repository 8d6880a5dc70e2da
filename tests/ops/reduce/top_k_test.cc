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

Tensor k_of(int64_t k) { return make_i64({1}, {k}); }

TEST(TopK, LargestAlongLastAxis) {
  auto out = run_node("TopK", {make_f32({2, 4}, {0, 1, 2, 3, 7, 6, 5, 4}), k_of(2)}, {}, 2, 11);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{3, 2, 7, 6}));
  EXPECT_EQ(values_i64((*out)[1]), (std::vector<int64_t>{3, 2, 0, 1}));
}

TEST(TopK, SmallestAlongFirstAxis) {
  auto out = run_node("TopK", {make_f32({3, 2}, {5, 1, 2, 8, 9, 0}), k_of(2)},
                      {{"axis", attr_i(0)}, {"largest", attr_i(0)}}, 2, 11);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{2, 0, 5, 1}));
  EXPECT_EQ(values_i64((*out)[1]), (std::vector<int64_t>{1, 2, 0, 0}));
}

TEST(TopK, TiesKeepTheSmallerIndexFirst) {
  auto largest = run_node("TopK", {make<int32_t>({5}, {1, 3, 2, 3, 3}), k_of(3)}, {}, 2, 11);
  ASSERT_TRUE(largest.is_ok()) << largest.status().to_string();
  EXPECT_EQ(values_i64((*largest)[1]), (std::vector<int64_t>{1, 3, 4}));
  auto smallest = run_node("TopK", {make<int32_t>({4}, {2, 1, 1, 5}), k_of(2)}, {{"largest", attr_i(0)}}, 2, 11);
  ASSERT_TRUE(smallest.is_ok()) << smallest.status().to_string();
  EXPECT_EQ(values_i64((*smallest)[0]), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(values_i64((*smallest)[1]), (std::vector<int64_t>{1, 2}));
}

TEST(TopK, KAttributeBeforeOpset10) {
  auto out = run_node("TopK", {make_f32({3}, {4, 9, 1})}, {{"k", attr_i(1)}}, 2, 9);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{9}));
  EXPECT_EQ(values_i64((*out)[1]), (std::vector<int64_t>{1}));
  EXPECT_FALSE(run_node("TopK", {make_f32({3}, {4, 9, 1})}, {}, 2, 9).is_ok());  // k missing
}

TEST(TopK, NaNRanksHighest) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto out = run_node("TopK", {make_f32({3}, {1, nan, 2}), k_of(2)}, {}, 2, 11);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_i64((*out)[1]), (std::vector<int64_t>{1, 2}));
}

TEST(TopK, BadKIsAnError) {
  Tensor x = make_f32({3}, {4, 9, 1});
  auto big = run_node("TopK", {x, k_of(4)}, {}, 2, 11);
  ASSERT_FALSE(big.is_ok());
  EXPECT_NE(big.status().message().find("exceeds"), std::string::npos);
  EXPECT_FALSE(run_node("TopK", {x, k_of(-1)}, {}, 2, 11).is_ok());
  EXPECT_FALSE(run_node("TopK", {x, make_i64({2}, {1, 1})}, {}, 2, 11).is_ok());
}

TEST(TopK, SymbolicInference) {
  ValueType in{DType::kFloat32, true, {Dim::symbolic("N"), Dim(10)}};
  ValueType k_type = ValueType::of(DType::kInt64, {1});
  auto unknown = test::infer_node("TopK", 11, {in, k_type}, {}, {}, 2);
  ASSERT_TRUE(unknown.is_ok()) << unknown.status().to_string();
  EXPECT_EQ((*unknown)[0].to_string(), "float32[N,?]");
  EXPECT_EQ((*unknown)[1].to_string(), "int64[N,?]");
  Tensor k = k_of(3);
  auto known = test::infer_node("TopK", 11, {in, k_type}, {nullptr, &k}, {}, 2);
  ASSERT_TRUE(known.is_ok());
  EXPECT_EQ((*known)[0].to_string(), "float32[N,3]");
}

}  // namespace
}  // namespace ew
