#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
namespace {

using test::make_f32;
using test::values_f32;

TEST(FusedGemm, LeakyReluWithAlphaBeta) {
  auto y = test::run_node("FusedGemm",
                          {make_f32({1, 2}, {1, 2}), make_f32({2, 2}, {1, -1, 1, -2}), make_f32({2}, {0, 1})},
                          {{"activation", Attribute::make_string("LeakyRelu")},
                           {"activation_alpha", Attribute::make_float(0.5f)}},
                          1, 1, "com.microsoft");
  ASSERT_TRUE(y.is_ok()) << y.status().to_string();
  EXPECT_EQ(values_f32((*y)[0]), (std::vector<float>{3, -2}));
}

TEST(FusedGemm, HardSigmoidUsesActivationAlphaAndBeta) {
  auto y = test::run_node("FusedGemm", {make_f32({1, 1}, {1}), make_f32({1, 2}, {1, -10})},
                          {{"activation", Attribute::make_string("HardSigmoid")},
                           {"activation_alpha", Attribute::make_float(0.25f)},
                           {"activation_beta", Attribute::make_float(0.5f)}},
                          1, 1, "com.microsoft");
  ASSERT_TRUE(y.is_ok()) << y.status().to_string();
  EXPECT_EQ(values_f32((*y)[0]), (std::vector<float>{0.75f, 0}));
}

}  // namespace
}  // namespace ew
