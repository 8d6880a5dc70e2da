#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(LpPool, L2NormOfWindow) {
  auto out = run_node("LpPool", {make_f32({1, 1, 4}, {3, -4, 0, 5})}, {{"kernel_shape", ints({2})}, {"strides", ints({2})}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{5, 5}));
}

TEST(LpPool, L1NormWithPads) {
  auto out = run_node("LpPool", {make_f32({1, 1, 3}, {1, -2, 3})},
                      {{"kernel_shape", ints({2})}, {"p", i(1)}, {"pads", ints({1, 0})}});
  ASSERT_TRUE(out.is_ok());
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 3, 5}));
}

TEST(LpPool, ZeroPIsAnError) {
  EXPECT_FALSE(run_node("LpPool", {make_f32({1, 1, 2}, {1, 2})}, {{"kernel_shape", ints({2})}, {"p", i(0)}}).is_ok());
}

}  // namespace ew
