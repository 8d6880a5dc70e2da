#include "runtime/profiler.h"

#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "ops/shape_inference.h"
#include "test_util.h"

namespace ew {
namespace {

// x[1,3,8,8] -> Conv(4x3x3x3) -> Relu -> Conv(2x4x1x1) -> y
Model two_conv_model() {
  GraphBuilder b("two_conv");
  std::string x = b.input("x", DType::kFloat32, {1, 3, 8, 8});
  std::string w1 = b.constant("w1", test::make_f32({4, 3, 3, 3}, std::vector<float>(108, 0.1f)));
  std::string w2 = b.constant("w2", test::make_f32({2, 4, 1, 1}, std::vector<float>(8, 0.1f)));
  std::string c1 = b.node("Conv", {x, w1}, {}, "conv1");
  std::string r = b.node("Relu", {c1}, {}, "relu");
  b.output(b.node("Conv", {r, w2}, {}, "conv2"), "y");
  Model m = b.build().value();
  EXPECT_TRUE(infer_shapes(m).is_ok());
  return m;
}

// Sends one synthetic step for `nodes` (the first is the step's node).
void step(Profiler& p, std::vector<const Node*> nodes, const char* backend, double seconds) {
  std::vector<const Tensor*> in;
  std::vector<Tensor> out;
  p.after_step(StepEvent{*nodes[0], nodes, backend, in, out, std::chrono::steady_clock::now(), seconds});
}

const ProfileEntry* find(const std::vector<ProfileEntry>& rows, const std::string& op_type) {
  for (const auto& r : rows)
    if (r.op_type == op_type) return &r;
  return nullptr;
}

TEST(Profiler, AggregatesPerNodeAndPerOpType) {
  Model m = two_conv_model();
  ModelStats stats = compute_model_stats(m);
  const auto& n = m.graph.nodes;
  Profiler p(m, stats);
  for (int run = 0; run < 2; ++run) {
    step(p, {&n[0]}, "reference", 0.003);
    step(p, {&n[1]}, "reference", 0.001);
    step(p, {&n[2]}, "reference", 0.001);
  }
  Profile prof = p.profile();
  ASSERT_EQ(prof.nodes.size(), 3u);
  EXPECT_NEAR(prof.total_ms, 10.0, 1e-9);
  EXPECT_EQ(prof.nodes[0].name, "conv1");  // slowest first
  EXPECT_EQ(prof.nodes[0].calls, 2);
  EXPECT_NEAR(prof.nodes[0].total_ms, 6.0, 1e-9);
  EXPECT_NEAR(prof.nodes[0].share, 60.0, 1e-9);
  EXPECT_EQ(prof.nodes[0].macs, 4 * 6 * 6 * 27);
  EXPECT_EQ(prof.nodes[0].macs, stats.per_node[0].macs);
  EXPECT_NEAR(prof.nodes[0].gflops, 2.0 * stats.per_node[0].flops / 6e-3 / 1e9, 1e-9);
  double node_sum = 0;
  for (const auto& e : prof.nodes) node_sum += e.total_ms;
  EXPECT_NEAR(node_sum, prof.total_ms, 1e-9);

  const ProfileEntry* conv = find(prof.op_types, "Conv");
  ASSERT_NE(conv, nullptr);
  EXPECT_EQ(conv->nodes, 2);
  EXPECT_EQ(conv->calls, 4);
  EXPECT_NEAR(conv->total_ms, 8.0, 1e-9);
  EXPECT_NEAR(conv->share, 80.0, 1e-9);
  // Work per call averaged over both convs, so flops * calls is the type's total work.
  EXPECT_EQ(conv->flops * conv->calls, 2 * (stats.per_node[0].flops + stats.per_node[2].flops));
}

TEST(Profiler, FusedStepSumsCoveredNodes) {
  Model m = two_conv_model();
  ModelStats stats = compute_model_stats(m);
  const auto& n = m.graph.nodes;
  Profiler p(m, stats);
  step(p, {&n[0], &n[1], &n[2]}, "xnnpack", 0.002);
  Profile prof = p.profile();
  ASSERT_EQ(prof.nodes.size(), 1u);
  const ProfileEntry& e = prof.nodes[0];
  EXPECT_EQ(e.op_type, "Conv*2+Relu");
  EXPECT_EQ(e.backend, "xnnpack");
  EXPECT_EQ(e.nodes, 3);
  EXPECT_EQ(e.macs, stats.per_node[0].macs + stats.per_node[2].macs);
  EXPECT_EQ(e.flops, stats.per_node[0].flops + stats.per_node[1].flops + stats.per_node[2].flops);
  EXPECT_NEAR(e.share, 100.0, 1e-9);
  nlohmann::json j = profile_to_json(prof);
  EXPECT_EQ(j["nodes"][0]["backend"], "xnnpack");
  EXPECT_EQ(j["op_types"][0]["op_type"], "Conv*2+Relu");
}

TEST(Profiler, UnknownNodesAndEmptyNamesStillProfile) {
  Model m = two_conv_model();
  Profiler p(m, ModelStats{});  // no costs: MACs 0, still timed
  Node unnamed;
  unnamed.op_type = "Relu";
  step(p, {&unnamed}, "reference", 0.001);
  Profile prof = p.profile();
  ASSERT_EQ(prof.nodes.size(), 1u);
  EXPECT_EQ(prof.nodes[0].name, "Relu#0");
  EXPECT_EQ(prof.nodes[0].macs, 0);
  EXPECT_EQ(prof.nodes[0].gflops, 0);
}

}  // namespace
}  // namespace ew
