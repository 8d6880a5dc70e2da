#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::attr_f;
using atest::attr_i;
using atest::expect_near;
using atest::run_ok;
using test::make_f32;
using test::values_f32;

TEST(BatchNormalization, InferencePerChannel) {
  auto out = run_ok("BatchNormalization",
                    {make_f32({1, 2, 1, 2}, {1, 2, 3, 4}), make_f32({2}, {1, 2}), make_f32({2}, {0, 1}),
                     make_f32({2}, {1.5f, 3.5f}), make_f32({2}, {0.25f, 0.25f})},
                    {{"epsilon", attr_f(0.0f)}}, 1, 15);
  expect_near(values_f32(out[0]), {-1, 1, -1, 3});
}

TEST(BatchNormalization, TrainingModeUsesBatchStatistics) {
  auto out = run_ok("BatchNormalization",
                    {make_f32({2, 1}, {1, 3}), make_f32({1}, {1}), make_f32({1}, {0}), make_f32({1}, {0}),
                     make_f32({1}, {1})},
                    {{"epsilon", attr_f(0.0f)}, {"training_mode", attr_i(1)}}, 3, 15);
  expect_near(values_f32(out[0]), {-1, 1});
  expect_near(values_f32(out[1]), {0.2f});  // 0 * 0.9 + 2 * 0.1
  expect_near(values_f32(out[2]), {1.0f});  // 1 * 0.9 + 1 * 0.1
}

TEST(BatchNormalization, SpatialZeroBeforeOpset9HasPerElementParameters) {
  auto p = [](std::vector<float> v) { return make_f32({2, 2}, v); };
  auto out = run_ok("BatchNormalization",
                    {make_f32({1, 2, 2}, {1, 2, 3, 4}), p({1, 1, 1, 1}), p({0, 0, 0, 10}), p({1, 1, 1, 1}),
                     p({1, 1, 1, 1})},
                    {{"epsilon", attr_f(0.0f)}, {"spatial", attr_i(0)}}, 1, 7);
  expect_near(values_f32(out[0]), {0, 1, 2, 13});
}

TEST(BatchNormalization, ParameterSizeMismatchIsAnError) {
  auto c = make_f32({2}, {1, 1});
  atest::expect_error(
      test::run_node("BatchNormalization", {make_f32({1, 2, 1}, {1, 2}), make_f32({3}, {1, 1, 1}), c, c, c}),
      "expected C");
}

TEST(BatchNormalization, InferKeepsSymbolicDims) {
  auto f = [](std::vector<Dim> d) { return atest::sym_type(DType::kFloat32, d); };
  auto types = atest::infer_types("BatchNormalization", 15,
                                  {f({Dim::symbolic("N"), 3, Dim{}, Dim{}}), f({3}), f({3}), f({3}), f({3})});
  ASSERT_TRUE(types.is_ok()) << types.status().to_string();
  EXPECT_EQ((*types)[0].to_string(), "float32[N,3,?,?]");
}

}  // namespace ew
