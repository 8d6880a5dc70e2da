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

TEST(ArgMaxMin, DefaultAxisKeepsDims) {
  auto out = run_node("ArgMax", {make_f32({2, 2}, {2, 1, 3, 10})}, {}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].dtype(), DType::kInt64);
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 2}));
  EXPECT_EQ(values_i64((*out)[0]), (std::vector<int64_t>{1, 1}));
}

TEST(ArgMaxMin, LastAxisWithoutKeepdims) {
  Tensor x = make_f32({2, 3}, {2, 9, 1, 3, -4, 10});
  auto mx = run_node("ArgMax", {x}, {{"axis", attr_i(-1)}, {"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(mx.is_ok()) << mx.status().to_string();
  EXPECT_EQ((*mx)[0].shape(), (Shape{2}));
  EXPECT_EQ(values_i64((*mx)[0]), (std::vector<int64_t>{1, 2}));
  auto mn = run_node("ArgMin", {x}, {{"axis", attr_i(1)}, {"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(mn.is_ok()) << mn.status().to_string();
  EXPECT_EQ(values_i64((*mn)[0]), (std::vector<int64_t>{2, 1}));
}

TEST(ArgMaxMin, SelectLastIndexFromOpset12) {
  Tensor x = make<int32_t>({2, 3}, {5, 1, 5, 0, 7, 0});
  std::map<std::string, Attribute> last{{"axis", attr_i(1)}, {"keepdims", attr_i(0)}, {"select_last_index", attr_i(1)}};
  auto mx = run_node("ArgMax", {x}, last, 1, 12);
  ASSERT_TRUE(mx.is_ok()) << mx.status().to_string();
  EXPECT_EQ(values_i64((*mx)[0]), (std::vector<int64_t>{2, 1}));
  auto mn = run_node("ArgMin", {x}, last, 1, 13);
  ASSERT_TRUE(mn.is_ok()) << mn.status().to_string();
  EXPECT_EQ(values_i64((*mn)[0]), (std::vector<int64_t>{1, 2}));
  auto first = run_node("ArgMin", {x}, {{"axis", attr_i(1)}, {"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(first.is_ok());
  EXPECT_EQ(values_i64((*first)[0]), (std::vector<int64_t>{1, 0}));
  auto old = run_node("ArgMax", {x}, last, 1, 11);  // the attribute does not exist yet
  ASSERT_TRUE(old.is_ok());
  EXPECT_EQ(values_i64((*old)[0]), (std::vector<int64_t>{0, 1}));
}

TEST(ArgMaxMin, NaNIsTheExtreme) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor x = make_f32({4}, {1, nan, 5, nan});
  EXPECT_EQ(values_i64((*run_node("ArgMax", {x}, {}, 1, 13))[0]), (std::vector<int64_t>{1}));
  EXPECT_EQ(values_i64((*run_node("ArgMin", {x}, {}, 1, 13))[0]), (std::vector<int64_t>{1}));
}

TEST(ArgMaxMin, BadAxisAndEmptyAxisAreErrors) {
  auto range = run_node("ArgMax", {make_f32({2, 2}, {1, 2, 3, 4})}, {{"axis", attr_i(2)}}, 1, 13);
  ASSERT_FALSE(range.is_ok());
  EXPECT_NE(range.status().message().find("out of range"), std::string::npos);
  auto empty = run_node("ArgMin", {make_f32({2, 0}, {})}, {{"axis", attr_i(1)}}, 1, 13);
  ASSERT_FALSE(empty.is_ok());
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos);
}

TEST(ArgMaxMin, SymbolicInference) {
  ValueType in{DType::kFloat32, true, {Dim::symbolic("N"), Dim(5)}};
  auto out = test::infer_node("ArgMax", 13, {in}, {}, {{"axis", attr_i(1)}, {"keepdims", attr_i(0)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "int64[N]");
}

}  // namespace
}  // namespace ew
