#include <gtest/gtest.h>

#include <cstdint>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::attr_f;
using mtest::run1;
using mtest::values;
using test::make;
using test::make_f32;
using test::values_f32;

TEST(Clip, InputsFromOpset11) {
  auto x = make_f32({4}, {-3, -1, 1, 3});
  EXPECT_EQ(values_f32(run1("Clip", {x, make_f32({}, {-2}), make_f32({}, {2})})), (std::vector<float>{-2, -1, 1, 2}));
  EXPECT_EQ(values_f32(run1("Clip", {x, Tensor{}, make_f32({}, {0})})), (std::vector<float>{-3, -1, 0, 0}));
  EXPECT_EQ(values_f32(run1("Clip", {x, make_f32({}, {0})})), (std::vector<float>{0, 0, 1, 3}));
  EXPECT_EQ(values_f32(run1("Clip", {x})), (std::vector<float>{-3, -1, 1, 3}));
}

TEST(Clip, AttributesBeforeOpset11) {
  auto x = make_f32({3}, {-3, 0.5f, 3});
  EXPECT_EQ(values_f32(run1("Clip", {x}, {{"min", attr_f(-1)}, {"max", attr_f(1)}}, 6)),
            (std::vector<float>{-1, 0.5f, 1}));
  EXPECT_EQ(values_f32(run1("Clip", {x}, {{"max", attr_f(0)}}, 6)), (std::vector<float>{-3, 0, 0}));
}

TEST(Clip, IntegersAndMinAboveMax) {
  auto x = make<int8_t>({3}, {-128, 5, 127});
  EXPECT_EQ(values<int8_t>(run1("Clip", {x, make<int8_t>({}, {-10}), make<int8_t>({}, {10})})),
            (std::vector<int8_t>{-10, 5, 10}));
  EXPECT_EQ(values_f32(run1("Clip", {make_f32({2}, {-5, 5}), make_f32({}, {2}), make_f32({}, {1})})),
            (std::vector<float>{1, 1}));
}

TEST(Clip, Errors) {
  auto x = make_f32({2}, {1, 2});
  mtest::expect_error(test::run_node("Clip", {x, make_f32({2}, {0, 1})}), "scalar");
  mtest::expect_error(test::run_node("Clip", {x, make<double>({}, {0})}), "differ");
  mtest::expect_error(test::run_node("Clip", {x, make_f32({}, {0})}, {}, 1, 6), "has 2 inputs; Clip takes 1 to 1");
}

}  // namespace
}  // namespace ew
