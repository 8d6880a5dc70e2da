// Step events from inside If/Loop/Scan bodies: each names the node that ran
// the body, the body and the iteration; body inputs are reported per run.
#include <gtest/gtest.h>

#include "ops/control/graph_builder.h"
#include "runtime/executor.h"
#include "test_util.h"

namespace ew {
namespace {

struct FrameLog : StepObserver {
  std::vector<std::string> steps;   // "<owner>#<iteration>:<op>" or "main:<op>"
  std::vector<int64_t> started;     // iterations of body_started
  void after_step(const StepEvent& e) override {
    if (!e.frame) { steps.push_back("main:" + e.node.op_type); return; }
    std::string where = e.frame->owner ? e.frame->owner->name : "?";
    if (e.frame->parent) where = (e.frame->parent->owner ? e.frame->parent->owner->name : "?") + "/" + where;
    steps.push_back(where + "#" + std::to_string(e.frame->iteration) + ":" + e.node.op_type);
  }
  void body_started(const BodyFrame& f, const std::vector<Tensor>& inputs) override {
    started.push_back(f.iteration);
    EXPECT_EQ(inputs.size(), f.body->inputs.size());
  }
};

TEST(ExecutorFrames, LoopStepsReportOwnerAndIteration) {
  auto inner = test::make_graph("inner", {}, {test::untyped("n")}, {test::make_node("Neg", {"h_in"}, {"n"})});
  auto body = test::make_graph(
      "body",
      {test::typed("i", DType::kInt64, {}), test::typed("c", DType::kBool, {}), test::typed("h_in", DType::kFloat32, {2})},
      {test::untyped("c_out"), test::untyped("h_out")},
      {test::make_node("Identity", {"c"}, {"c_out"}),
       test::make_node("If", {"c"}, {"h_out"},
                       {{"then_branch", Attribute::make_graph(inner)}, {"else_branch", Attribute::make_graph(inner)}})});
  Node loop = test::make_node("Loop", {"m", "", "x"}, {"y"}, {{"body", Attribute::make_graph(body)}});
  loop.name = "loop";
  body->nodes[1].name = "if";
  auto g = test::make_graph("main", {test::typed("x", DType::kFloat32, {2})}, {test::untyped("y")}, {loop},
                            {{"m", test::make<int64_t>({}, {2})}});
  auto s = test::make_session(*g);
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  FrameLog log;
  auto out = (*s)->run({{"x", test::make_f32({2}, {1, -2})}}, &log);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(test::values_f32((*out)[0]), (std::vector<float>{1, -2}));
  EXPECT_EQ(log.steps, (std::vector<std::string>{"loop#0:Identity", "loop/if#0:Neg", "loop#0:If", "loop#1:Identity",
                                                 "loop/if#0:Neg", "loop#1:If", "main:Loop"}));
  EXPECT_EQ(log.started, (std::vector<int64_t>{0, 0, 1, 0}));
}

}  // namespace
}  // namespace ew
