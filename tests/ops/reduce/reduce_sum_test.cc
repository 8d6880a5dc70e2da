#include <gtest/gtest.h>

#include "reduce_test_util.h"
#include "test_util.h"

namespace ew {
namespace {
using test::attr_i;
using test::attr_ints;
using test::make;
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

Tensor x23() { return make_f32({2, 3}, {1, 2, 3, 4, 5, 6}); }

TEST(ReduceSum, AxesInputKeepdims) {
  auto out = run_node("ReduceSum", {x23(), make_i64({1}, {1})}, {}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 1}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{6, 15}));
}

TEST(ReduceSum, NegativeAxisWithoutKeepdims) {
  auto out = run_node("ReduceSum", {x23(), make_i64({1}, {-2})}, {{"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{3}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{5, 7, 9}));
}

TEST(ReduceSum, AxesAttributeBeforeOpset13) {
  auto out = run_node("ReduceSum", {x23()}, {{"axes", attr_ints({0})}}, 1, 11);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 3}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{5, 7, 9}));
  auto bad = run_node("ReduceSum", {x23(), make_i64({1}, {0})}, {}, 1, 11);
  EXPECT_FALSE(bad.is_ok());
}

TEST(ReduceSum, NoAxesReducesAll) {
  auto out = run_node("ReduceSum", {x23()}, {{"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{21}));
  auto empty_axes = run_node("ReduceSum", {x23(), make_i64({0}, {})}, {}, 1, 13);
  ASSERT_TRUE(empty_axes.is_ok());
  EXPECT_EQ((*empty_axes)[0].shape(), (Shape{1, 1}));
  EXPECT_EQ(values_f32((*empty_axes)[0]), (std::vector<float>{21}));
}

TEST(ReduceSum, NoopWithEmptyAxesIsIdentity) {
  auto out = run_node("ReduceSum", {x23(), make_i64({0}, {})}, {{"noop_with_empty_axes", attr_i(1)}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(ReduceSum, TwoAxesOfRank3) {
  std::vector<float> v(24);
  for (int k = 0; k < 24; ++k) v[k] = static_cast<float>(k);
  auto out = run_node("ReduceSum", {make_f32({2, 3, 4}, v), make_i64({2}, {0, 2})}, {{"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  // sum over i,k of 12i + 4j + k = 48 + 32j + 12
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{60, 92, 124}));
}

TEST(ReduceSum, MiddleAxisAndUnitDims) {
  std::vector<float> v(24);
  for (int k = 0; k < 24; ++k) v[k] = static_cast<float>(k);
  auto mid = run_node("ReduceSum", {make_f32({2, 3, 4}, v), make_i64({1}, {1})}, {{"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(mid.is_ok()) << mid.status().to_string();
  // sum over j of 12i + 4j + k = 36i + 12 + 3k
  EXPECT_EQ(values_f32((*mid)[0]), (std::vector<float>{12, 15, 18, 21, 48, 51, 54, 57}));
  auto unit = run_node("ReduceSum", {make_f32({2, 1, 3}, {1, 2, 3, 4, 5, 6}), make_i64({2}, {0, 1})}, {}, 1, 13);
  ASSERT_TRUE(unit.is_ok()) << unit.status().to_string();
  EXPECT_EQ((*unit)[0].shape(), (Shape{1, 1, 3}));
  EXPECT_EQ(values_f32((*unit)[0]), (std::vector<float>{5, 7, 9}));
}

TEST(ReduceSum, EmptySetIsZeroAndIntegersWrap) {
  auto out = run_node("ReduceSum", {make_f32({2, 0}, {}), make_i64({1}, {1})}, {}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 1}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 0}));
  auto i8 = run_node("ReduceSum", {make<int8_t>({2}, {100, 100})}, {}, 1, 13);
  ASSERT_TRUE(i8.is_ok()) << i8.status().to_string();
  EXPECT_EQ((*i8)[0].data<int8_t>()[0], int8_t{-56});
}

TEST(ReduceSum, Float16AccumulatesInFloat) {
  auto out = run_node("ReduceSum", {make<float16>({3}, {float16(1.5f), float16(2.25f), float16(-0.75f)})}, {}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].dtype(), DType::kFloat16);
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{3}));
}

TEST(ReduceSum, AxesAttributeFromOpset13IsAnError) {
  auto out = run_node("ReduceSum", {x23()}, {{"axes", attr_ints({0})}}, 1, 13);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("not an attribute"), std::string::npos) << out.status().message();
}

TEST(ReduceSum, BadAxesAreErrors) {
  auto out_of_range = run_node("ReduceSum", {x23(), make_i64({1}, {2})}, {}, 1, 13);
  ASSERT_FALSE(out_of_range.is_ok());
  EXPECT_NE(out_of_range.status().message().find("out of range"), std::string::npos);
  auto repeated = run_node("ReduceSum", {x23(), make_i64({2}, {1, -1})}, {}, 1, 13);
  ASSERT_FALSE(repeated.is_ok());
  EXPECT_NE(repeated.status().message().find("repeated"), std::string::npos);
  EXPECT_FALSE(run_node("ReduceSum", {make<bool>({2}, {true, false})}, {}, 1, 13).is_ok());
}

TEST(ReduceSum, SymbolicInference) {
  ValueType in{DType::kFloat32, true, {Dim::symbolic("N"), Dim(3), Dim(4)}};
  ValueType axes_type = ValueType::of(DType::kInt64, {1});
  Tensor axes = make_i64({1}, {1});
  auto known = test::infer_node("ReduceSum", 13, {in, axes_type}, {nullptr, &axes});
  ASSERT_TRUE(known.is_ok()) << known.status().to_string();
  EXPECT_EQ((*known)[0].to_string(), "float32[N,1,4]");
  auto unknown = test::infer_node("ReduceSum", 13, {in, axes_type});
  ASSERT_TRUE(unknown.is_ok());
  EXPECT_TRUE((*unknown)[0].has_shape);
  EXPECT_EQ((*unknown)[0].dims.size(), 3u);
  auto dropped = test::infer_node("ReduceSum", 13, {in, axes_type}, {}, {{"keepdims", attr_i(0)}});
  ASSERT_TRUE(dropped.is_ok());
  EXPECT_FALSE((*dropped)[0].has_shape);
  auto attr = test::infer_node("ReduceSum", 11, {in}, {}, {{"axes", attr_ints({0, 2})}, {"keepdims", attr_i(0)}});
  ASSERT_TRUE(attr.is_ok());
  EXPECT_EQ((*attr)[0].to_string(), "float32[3]");
}

}  // namespace
}  // namespace ew
