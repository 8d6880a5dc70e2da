#include <gtest/gtest.h>

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
