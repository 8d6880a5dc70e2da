#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::expect_near;
using atest::run_ok;
using test::make_f32;
using test::values_f32;

TEST(InstanceNormalization, NormalizesEachChannelOfEachSample) {
  auto out = run_ok("InstanceNormalization",
                    {make_f32({1, 2, 2}, {1, 3, 2, 2}), make_f32({2}, {2, 1}), make_f32({2}, {0, 5})});
  // channel 0: mean 2, var 1 -> +-1 / sqrt(1 + 1e-5) * 2; channel 1 is constant -> B.
  expect_near(values_f32(out[0]), {-1.99999f, 1.99999f, 5, 5});
}

TEST(InstanceNormalization, ScaleOfWrongSizeIsAnError) {
  atest::expect_error(test::run_node("InstanceNormalization", {make_f32({1, 2, 2}, {1, 3, 2, 2}),
                                                               make_f32({3}, {1, 1, 1}), make_f32({2}, {0, 0})}),
                      "C");
}

TEST(InstanceNormalization, InferKeepsSymbolicDims) {
  auto types = atest::infer_types(
      "InstanceNormalization", 17,
      {atest::sym_type(DType::kFloat32, {Dim::symbolic("N"), 2, Dim::symbolic("L")}),
       atest::sym_type(DType::kFloat32, {2}), atest::sym_type(DType::kFloat32, {2})});
  ASSERT_TRUE(types.is_ok()) << types.status().to_string();
  EXPECT_EQ((*types)[0].to_string(), "float32[N,2,L]");
}

}  // namespace ew
