#include <gtest/gtest.h>

#include "pass_test_util.h"
#include "quant/dynamic_quantizer.h"
#include "quant/preprocess.h"

namespace ew {
namespace {

Model dynamic_tiny_bert() {
  Model m = test::load_shared("tiny_bert_op17_random");
  EXPECT_TRUE(quant::preprocess(m).is_ok());
  quant::QuantizeOptions o;
  o.mode = quant::QuantMode::kDynamic;
  EXPECT_TRUE(quant::quantize_dynamic(m, o, nullptr).is_ok());
  return m;
}

TEST(DynamicQuantizeMatMulFusion, FusesEveryGroupWithItsBias) {
  EW_REQUIRE_SHARED_MODELS();
  Model m = dynamic_tiny_bert();
  const int groups = test::count_ops(m, "MatMulInteger");
  ASSERT_GT(groups, 0);
  OptimizeReport r;
  ASSERT_TRUE(optimize_model(m, 2, &r).is_ok());
  EXPECT_EQ(test::rewrites_of(r, "dynamic_quantize_matmul_fusion"), groups);
  EXPECT_EQ(test::count_ops(m, "com.microsoft::DynamicQuantizeMatMul"), groups);
  EXPECT_EQ(test::count_ops(m, "MatMulInteger"), 0);
  EXPECT_EQ(test::count_ops(m, "DynamicQuantizeLinear"), 0);
  EXPECT_EQ(test::count_ops(m, "Cast") , test::count_ops(dynamic_tiny_bert(), "Cast") - groups);
  int with_bias = 0;
  for (const Node& n : m.graph.nodes) with_bias += n.op_type == "DynamicQuantizeMatMul" && n.inputs.size() == 5;
  EXPECT_GT(with_bias, 0);  // Gemm biases folded in
}

TEST(DynamicQuantizeMatMulFusion, LeavesGroupsWithNonConstantScalesAlone) {
  EW_REQUIRE_SHARED_MODELS();
  Model m = dynamic_tiny_bert();
  // Make one weight scale a graph input: that group must stay unfused.
  for (Node& n : m.graph.nodes)
    if (n.op_type == "Mul" && n.inputs.size() == 2 && m.graph.is_initializer(n.inputs[1]) &&
        n.inputs[1].find("_weight_scale") != std::string::npos) {
      ValueInfo in;
      in.name = "external_scale";
      in.type = ValueType::of(DType::kFloat32, {});
      m.graph.inputs.push_back(in);
      n.inputs[1] = in.name;
      break;
    }
  const int groups = test::count_ops(m, "MatMulInteger");
  ASSERT_TRUE(optimize_model(m, 2, nullptr).is_ok());
  EXPECT_EQ(test::count_ops(m, "MatMulInteger"), 1);
  EXPECT_EQ(test::count_ops(m, "com.microsoft::DynamicQuantizeMatMul"), groups - 1);
}

}  // namespace
}  // namespace ew
