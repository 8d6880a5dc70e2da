#include <gtest/gtest.h>

#include "pass_test_util.h"
#include "quant/preprocess.h"
#include "quant/qdq_quantizer.h"

namespace ew {
namespace {

// fashion_mbnet quantized to QDQ by Edgewise, calibrated on its own test data.
Model quantized_fashion_mbnet() {
  Model m = test::load_shared("fashion_mbnet");
  EXPECT_TRUE(quant::preprocess(m).is_ok());
  auto data = quant::open_calibration_source(test::shared_models_dir() + "/fashion_mbnet", m, 0);
  EXPECT_TRUE(data.is_ok()) << data.status().to_string();
  auto names = quant::tensors_to_calibrate(m, {});
  EXPECT_TRUE(names.is_ok());
  auto ranges = quant::calibrate(m, **data, *names, {});
  EXPECT_TRUE(ranges.is_ok()) << ranges.status().to_string();
  EXPECT_TRUE(quant::quantize_static(m, *ranges, {}).is_ok());
  return m;
}

TEST(QdqGemmFusion, ClassifierBecomesQGemmWithFloatOutput) {
  EW_REQUIRE_SHARED_MODELS();
  Model q = quantized_fashion_mbnet();
  ASSERT_EQ(test::count_ops(q, "Gemm"), 1);
  Model fused = q;
  OptimizeReport r;
  ASSERT_TRUE(optimize_model(fused, 2, &r).is_ok());
  EXPECT_EQ(test::rewrites_of(r, "qdq_gemm_fusion"), 1);
  EXPECT_EQ(test::count_ops(fused, "com.microsoft::QGemm"), 1);
  EXPECT_EQ(test::count_ops(fused, "Gemm"), 0);
  for (const Node& n : fused.graph.nodes)
    if (n.op_type == "QGemm") EXPECT_EQ(n.inputs.size(), 7u);  // float output: no y_scale
  // The integer form agrees with the QDQ form run in float, within a few output steps.
  std::vector<Tensor> a = test::run_on_test_data(q, "fashion_mbnet", 0);
  std::vector<Tensor> b = test::run_on_test_data(fused, "fashion_mbnet", 0);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  for (int64_t i = 0; i < a[0].numel(); ++i) EXPECT_NEAR(a[0].data<float>()[i], b[0].data<float>()[i], 0.15) << i;
}

}  // namespace
}  // namespace ew
