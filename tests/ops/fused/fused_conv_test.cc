#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
namespace {

using test::make_f32;
using test::run_node;
using test::values_f32;

const Tensor kX = make_f32({1, 1, 2, 2}, {1, -2, 3, -4});
const Tensor kW = make_f32({2, 1, 1, 1}, {1, -1});
const Tensor kB = make_f32({2}, {0.5f, 0});

TEST(FusedConv, ReluAfterBias) {
  auto y = run_node("FusedConv", {kX, kW, kB}, {{"activation", Attribute::make_string("Relu")}}, 1, 1, "com.microsoft");
  ASSERT_TRUE(y.is_ok()) << y.status().to_string();
  EXPECT_EQ(values_f32((*y)[0]), (std::vector<float>{1.5f, 0, 3.5f, 0, 0, 2, 0, 4}));
}

TEST(FusedConv, ZIsAddedBeforeTheActivation) {
  Tensor z = make_f32({1, 2, 2, 2}, {-2, 0, 0, 5, 1, -3, 1, 1});
  auto y = run_node("FusedConv", {kX, kW, kB, z},
                    {{"activation", Attribute::make_string("Clip")}, {"activation_params", Attribute::make_floats({0, 4})}},
                    1, 1, "com.microsoft");
  ASSERT_TRUE(y.is_ok()) << y.status().to_string();
  EXPECT_EQ(values_f32((*y)[0]), (std::vector<float>{0, 0, 3.5f, 1.5f, 0, 0, 0, 4}));
}

TEST(FusedConv, NoActivationIsPlainConv) {
  auto y = run_node("FusedConv", {kX, kW}, {}, 1, 1, "com.microsoft");
  ASSERT_TRUE(y.is_ok()) << y.status().to_string();
  EXPECT_EQ(values_f32((*y)[0]), (std::vector<float>{1, -2, 3, -4, -1, 2, -3, 4}));
}

TEST(FusedConv, UnknownActivationIsAnError) {
  auto y = run_node("FusedConv", {kX, kW}, {{"activation", Attribute::make_string("HardSwish")}}, 1, 1, "com.microsoft");
  EXPECT_FALSE(y.is_ok());
}

TEST(FusedConv, WrongZShapeIsAnError) {
  auto y = run_node("FusedConv", {kX, kW, kB, make_f32({1, 2, 1, 1}, {1, 2})}, {}, 1, 1, "com.microsoft");
  EXPECT_FALSE(y.is_ok());
}

}  // namespace
}  // namespace ew
