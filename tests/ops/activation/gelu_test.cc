#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::attr_s;
using atest::expect_near;
using atest::run_ok;
using test::make_f32;
using test::values_f32;

TEST(Gelu, ExactErfForm) {
  auto out = run_ok("Gelu", {make_f32({3}, {-1, 0, 1})}, {}, 1, 20);
  expect_near(values_f32(out[0]), {-0.15865525f, 0.0f, 0.84134475f});
}

TEST(Gelu, TanhApproximation) {
  auto out = run_ok("Gelu", {make_f32({2}, {1, 2})}, {{"approximate", attr_s("tanh")}}, 1, 20);
  expect_near(values_f32(out[0]), {0.84119199f, 1.95459769f});
}

TEST(Gelu, NotBeforeOpset20AndBadApproximate) {
  EXPECT_FALSE(test::run_node("Gelu", {make_f32({1}, {1})}, {}, 1, 19).is_ok());
  atest::expect_error(test::run_node("Gelu", {make_f32({1}, {1})}, {{"approximate", attr_s("fast")}}, 1, 20),
                      "approximate");
}

}  // namespace ew
