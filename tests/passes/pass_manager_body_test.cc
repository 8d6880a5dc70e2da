// The optimizer inside If/Loop/Scan bodies: fusions apply there, values a
// body reads from the outer scope survive, a shallow copy's bodies are not
// touched, and the optimized model computes what the float one does.
#include <gtest/gtest.h>

#include "passes/pass_manager.h"
#include "quant/control_flow_models.h"

namespace ew {
namespace {

int count_ops(const Graph& g, const std::string& op) {
  int n = 0;
  for (const Node& node : g.nodes) n += node.op_type == op ? 1 : 0;
  return n;
}

TEST(PassManagerBodies, ConvReluFusedInsideIfBranches) {
  const Model original = test::if_conv_model();
  Model m = original;  // shares the bodies with `original`
  OptimizeReport r;
  ASSERT_TRUE(optimize_model(m, 2, &r).is_ok());
  const Graph* then_g = m.graph.nodes.back().attr_graph("then_branch");
  const Graph* else_g = m.graph.nodes.back().attr_graph("else_branch");
  ASSERT_TRUE(then_g && else_g);
  EXPECT_EQ(count_ops(*then_g, "FusedConv"), 1);
  EXPECT_EQ(count_ops(*then_g, "Relu"), 0);
  EXPECT_EQ(count_ops(*else_g, "FusedConv"), 1);
  EXPECT_TRUE(then_g->inputs.empty());  // outer-scope values were lent as inputs only while optimizing
  EXPECT_EQ(count_ops(*original.graph.nodes.back().attr_graph("then_branch"), "Relu"), 1);
  int fused = 0;
  for (const auto& p : r.passes)
    if (p.pass == std::string("conv_activation_fusion")) fused = p.rewrites;
  EXPECT_EQ(fused, 2);
  for (const auto& feed : test::samples_for(original, 4, 7)) {
    auto want = test::run_model(original, feed);
    auto got = test::run_model(m, feed);
    test::expect_near_outputs(got, want, 1e-5);
  }
}

TEST(PassManagerBodies, OuterValuesReadByBodiesSurvive) {
  // main: x -> Identity -> xi; the body reads xi from the outer scope, so the Identity must stay.
  auto body = test::make_graph("then", {}, {test::untyped("t")},
                               {test::make_node("Identity", {"xi"}, {"ti"}), test::make_node("Relu", {"ti"}, {"t"})});
  auto g = test::make_graph(
      "main", {test::typed("c", DType::kBool, {}), test::typed("x", DType::kFloat32, {2})}, {test::untyped("y")},
      {test::make_node("Identity", {"x"}, {"xi"}),
       test::make_node("If", {"c"}, {"y"},
                       {{"then_branch", Attribute::make_graph(body)}, {"else_branch", Attribute::make_graph(body)}})});
  Model m = test::model_of(g);
  ASSERT_TRUE(optimize_model(m, 2).is_ok());
  EXPECT_EQ(count_ops(m.graph, "Identity"), 1);
  const Graph* then_g = m.graph.nodes.back().attr_graph("then_branch");
  ASSERT_NE(then_g, nullptr);
  EXPECT_EQ(count_ops(*then_g, "Identity"), 0);  // inside the body it goes: Relu reads xi directly
  ASSERT_EQ(then_g->nodes.size(), 1u);
  EXPECT_EQ(then_g->nodes[0].inputs[0], "xi");
  auto out = test::run_model(m, {{"c", test::make<bool>({}, {true})}, {"x", test::make_f32({2}, {-1, 3})}});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(test::values_f32(out[0]), (std::vector<float>{0, 3}));
}

TEST(PassManagerBodies, LoopAndScanBodiesKeepTheirResults) {
  for (Model (*make)() : {test::loop_model, test::scan_model}) {
    const Model original = make();
    Model m = original;
    ASSERT_TRUE(optimize_model(m, 2).is_ok());
    for (const auto& feed : test::samples_for(original, 2, 11))
      test::expect_near_outputs(test::run_model(m, feed), test::run_model(original, feed), 1e-5);
  }
}

}  // namespace
}  // namespace ew
