#include <gtest/gtest.h>

#include "pass_test_util.h"

namespace ew {
namespace {

TEST(LayerNormFusion, TinyBertOpset14PrimitivesBecomeLayerNormalization) {
  EW_REQUIRE_SHARED_MODELS();
  OptimizeReport r;
  Model m = test::optimized_shared("tiny_bert_op14_random", 2, &r);
  EXPECT_EQ(test::rewrites_of(r, "layer_norm_fusion"), 5);
  EXPECT_EQ(test::count_ops(m, "LayerNormalization"), 5);
  EXPECT_EQ(test::count_ops(m, "Pow"), 0);
  EXPECT_EQ(test::count_ops(m, "Sqrt"), 0);
  EXPECT_EQ(test::count_ops(m, "ReduceMean"), 0);
  for (const auto& n : m.graph.nodes)
    if (n.op_type == "LayerNormalization") {
      EXPECT_EQ(n.inputs.size(), 3u);
      EXPECT_EQ(n.attr_int("axis", 0), -1);
      EXPECT_GT(n.attr_float("epsilon", 0), 0);
    }
  test::expect_same_outputs("tiny_bert_op14_random", m);
}

}  // namespace
}  // namespace ew
