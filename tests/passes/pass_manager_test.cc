#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

Result<Model> small_model() {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(1), Dim(2), Dim(2)});
  std::string w = b.constant("w", test::make_f32({1, 1, 1, 1}, {2}));
  std::string id = b.node("Identity", {b.node("Conv", {x, w})});
  b.output(b.node("Relu", {id}));
  return b.build();
}

TEST(PassManager, LevelZeroChangesNothing) {
  auto m = small_model();
  ASSERT_TRUE(m.is_ok());
  OptimizeReport r;
  ASSERT_TRUE(optimize_model(*m, 0, &r).is_ok());
  EXPECT_TRUE(r.passes.empty());
  EXPECT_EQ(r.nodes_after, 3u);
}

TEST(PassManager, LevelOneCleansLevelTwoFuses) {
  auto m1 = small_model();
  auto m2 = small_model();
  ASSERT_TRUE(m1.is_ok() && m2.is_ok());
  OptimizeReport r1, r2;
  ASSERT_TRUE(optimize_model(*m1, 1, &r1).is_ok());
  ASSERT_TRUE(optimize_model(*m2, 2, &r2).is_ok());
  EXPECT_EQ(r1.nodes_before, 3u);
  EXPECT_EQ(r1.nodes_after, 2u);
  EXPECT_EQ(test::rewrites_of(r1, "identity_elimination"), 1);
  for (const auto& p : r1.passes) EXPECT_NE(p.pass, "conv_activation_fusion");
  EXPECT_EQ(r2.nodes_after, 1u);
  EXPECT_EQ(r2.ops_after.at("com.microsoft::FusedConv"), 1);
  EXPECT_EQ(m2->graph.outputs[0].name, m1->graph.outputs[0].name);
}

TEST(PassManager, EveryPassHasANameAndLevel) {
  std::set<std::string> names;
  for (const Pass* p : all_passes()) {
    EXPECT_TRUE(names.insert(p->name).second) << p->name;
    EXPECT_GE(p->min_level, 1);
    EXPECT_NE(p->run, nullptr);
  }
}

class OptimizedSharedModel : public ::testing::TestWithParam<std::string> {};

TEST_P(OptimizedSharedModel, O1AndO2KeepOutputs) {
  EW_REQUIRE_SHARED_MODELS();
  for (int level : {1, 2}) {
    OptimizeReport r;
    Model m = test::optimized_shared(GetParam(), level, &r);
    EXPECT_LE(r.nodes_after, r.nodes_before);
    test::expect_same_outputs(GetParam(), m);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, OptimizedSharedModel,
                         ::testing::Values("resnet18_random", "mobilenet_v2_random", "squeezenet1_1_random",
                                           "tiny_bert_op14_random", "tiny_bert_op17_random", "super_resolution_10",
                                           "mobilenetv2_12_int8", "fashion_mbnet"));

}  // namespace
}  // namespace ew
