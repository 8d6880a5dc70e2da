#include <gtest/gtest.h>

#include "pass_test_util.h"

namespace ew {
namespace {

// ONNX Runtime's reference outputs of this model come from its fused integer
// form; the float DQ -> Conv -> Q form differs by up to 6 steps. After the QDQ
// fusion Edgewise runs the same integer ops and matches.
TEST(QdqFusion, MobileNetV2QdqMatchesOnnxRuntimeReference) {
  EW_REQUIRE_SHARED_MODELS();
  OptimizeReport r;
  Model m = test::optimized_shared("mobilenet_v2_qdq_random", 2, &r);
  EXPECT_EQ(test::count_ops(m, "QLinearConv"), 52);
  EXPECT_EQ(test::count_ops(m, "Conv"), 0);
  EXPECT_EQ(test::count_ops(m, "com.microsoft::QLinearAdd"), 10);
  EXPECT_EQ(test::count_ops(m, "com.microsoft::QLinearGlobalAveragePool"), 1);
  EXPECT_EQ(test::count_ops(m, "Relu"), 0);
  EXPECT_EQ(test::rewrites_of(r, "relu_quantize_fusion"), 35);
  EXPECT_LT(r.nodes_after, r.nodes_before / 4);
  test::expect_same_outputs("mobilenet_v2_qdq_random", m, /*check_reference=*/true, /*check_unoptimized=*/false);
}

TEST(QdqFusion, DefaultSessionMatchesReference) {
  EW_REQUIRE_SHARED_MODELS();
  Model m = test::load_shared("mobilenet_v2_qdq_random");
  auto data = read_test_data_set(test::shared_models_dir() + "/mobilenet_v2_qdq_random/test_data_set_0");
  ASSERT_TRUE(data.is_ok());
  std::vector<Tensor> got = test::run_on_test_data(m, "mobilenet_v2_qdq_random", 2);
  ASSERT_EQ(got.size(), 1u);
  Comparison c = compare_tensors(got[0], data->outputs[0].tensor,
                                 reference_tolerance(m, m.graph.outputs[0].name, data->outputs[0].tensor));
  EXPECT_TRUE(c.match) << c.message;
}

TEST(QdqFusion, AlreadyQuantizedModelIsUntouchedAndMatches) {
  EW_REQUIRE_SHARED_MODELS();
  OptimizeReport r;
  Model m = test::optimized_shared("mobilenetv2_12_int8", 2, &r);
  EXPECT_EQ(test::rewrites_of(r, "qdq_fusion"), 0);
  EXPECT_EQ(test::count_ops(m, "QLinearConv"), 52);
  test::expect_same_outputs("mobilenetv2_12_int8", m);
}

}  // namespace
}  // namespace ew
