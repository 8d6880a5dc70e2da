#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::attr_f;
using atest::attr_i;
using atest::expect_near;
using atest::run_ok;
using test::make_f32;
using test::values_f32;

TEST(LRN, OddWindowIsCentred) {
  // alpha / size = 1, beta = 1, bias = 1: y = x / (1 + sum of squares in the window).
  auto out = run_ok("LRN", {make_f32({1, 3, 1, 1}, {1, 2, 3})},
                    {{"size", attr_i(3)}, {"alpha", attr_f(3)}, {"beta", attr_f(1)}, {"bias", attr_f(1)}});
  expect_near(values_f32(out[0]), {1.0f / 6, 2.0f / 15, 3.0f / 14});
}

TEST(LRN, EvenWindowExtendsForward) {
  auto out = run_ok("LRN", {make_f32({1, 3, 1, 1}, {1, 2, 3})},
                    {{"size", attr_i(2)}, {"alpha", attr_f(2)}, {"beta", attr_f(1)}, {"bias", attr_f(1)}});
  expect_near(values_f32(out[0]), {1.0f / 6, 2.0f / 14, 3.0f / 10});
}

TEST(LRN, SizeIsRequired) {
  atest::expect_error(test::run_node("LRN", {make_f32({1, 1, 1, 1}, {1})}), "size");
}

}  // namespace ew
