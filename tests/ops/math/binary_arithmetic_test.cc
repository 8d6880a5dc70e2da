#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::run_node;
using test::values_f32;

TEST(BinaryArithmetic, AddBroadcastsRowVector) {
  auto out = run_node("Add", {make_f32({2, 3}, {1, 2, 3, 4, 5, 6}), make_f32({3}, {10, 20, 30})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{11, 22, 33, 14, 25, 36}));
}

TEST(BinaryArithmetic, SubMulDivBroadcastColumn) {
  auto a = make_f32({2, 2}, {8, 6, 4, 2});
  auto b = make_f32({2, 1}, {2, 4});
  EXPECT_EQ(values_f32((*run_node("Sub", {a, b}))[0]), (std::vector<float>{6, 4, 0, -2}));
  EXPECT_EQ(values_f32((*run_node("Mul", {a, b}))[0]), (std::vector<float>{16, 12, 16, 8}));
  EXPECT_EQ(values_f32((*run_node("Div", {a, b}))[0]), (std::vector<float>{4, 3, 1, 0.5}));
}

TEST(BinaryArithmetic, IncompatibleShapesAreAnError) {
  auto out = run_node("Add", {make_f32({2, 3}, {1, 2, 3, 4, 5, 6}), make_f32({2}, {1, 2})});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("broadcast"), std::string::npos) << out.status().message();
}

TEST(BinaryArithmetic, IntegerDivisionByZeroIsAnError) {
  auto out = run_node("Div", {test::make_i64({2}, {4, 2}), test::make_i64({2}, {2, 0})});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("division by zero"), std::string::npos);
}

}  // namespace ew

namespace ew {

TEST(BinaryArithmetic, IntegerOverflowWraps) {
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  auto a = test::make<int32_t>({3}, {kMax, kMin, 65536});
  auto b = test::make<int32_t>({3}, {1, 1, 65536});
  auto add = test::run_node("Add", {a, b});
  ASSERT_TRUE(add.is_ok()) << add.status().to_string();
  EXPECT_EQ((*add)[0].data<int32_t>()[0], kMin);
  auto sub = test::run_node("Sub", {a, b});
  EXPECT_EQ((*sub)[0].data<int32_t>()[1], kMax);
  auto mul = test::run_node("Mul", {a, b});
  EXPECT_EQ((*mul)[0].data<int32_t>()[2], 0);
  auto u16 = test::run_node("Mul", {test::make<uint16_t>({1}, {65535}), test::make<uint16_t>({1}, {65535})});
  EXPECT_EQ((*u16)[0].data<uint16_t>()[0], 1);
}

TEST(BinaryArithmetic, IntegerDivisionTruncatesAndMinByMinusOneWraps) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  auto out = test::run_node("Div", {test::make_i64({3}, {7, -7, kMin}), test::make_i64({3}, {2, 2, -1})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(test::values_i64((*out)[0]), (std::vector<int64_t>{3, -3, kMin}));
}

}  // namespace ew
