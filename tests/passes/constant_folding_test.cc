#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

TEST(ConstantFolding, FoldsConstantChainsIntoInitializers) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(2)});
  std::string c1 = b.constant("c1", test::make_f32({2}, {1, 2}));
  std::string c2 = b.constant("c2", test::make_f32({2}, {10, 20}));
  std::string sum = b.node("Add", {c1, c2});
  std::string neg = b.node("Neg", {sum});
  b.output(b.node("Mul", {x, neg}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  auto n = kConstantFolding.run(*m);
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(*n, 2);
  ASSERT_EQ(m->graph.nodes.size(), 1u);
  EXPECT_EQ(m->graph.nodes[0].op_type, "Mul");
  const Tensor* folded = m->graph.initializer(m->graph.nodes[0].inputs[1]);
  ASSERT_NE(folded, nullptr);
  EXPECT_EQ(test::values_f32(*folded), (std::vector<float>{-11, -22}));
}

TEST(ConstantFolding, NeverFoldsRandomOrHugeOutputs) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(2)});
  std::string r = b.node("RandomNormal", {}, {{"shape", Attribute::make_ints({2})}});
  std::string big = b.constant("shape", test::make_i64({1}, {int64_t{64} << 20}));
  std::string filled = b.node("ConstantOfShape", {big});
  b.output(b.node("Add", {x, r}));
  b.output(filled);
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  auto n = kConstantFolding.run(*m);
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(m->graph.nodes.size(), 3u);
}

TEST(ConstantFolding, MobileNetConstantsBecomeInitializers) {
  EW_REQUIRE_SHARED_MODELS();
  OptimizeReport r;
  Model m = test::optimized_shared("mobilenet_v2_random", 1, &r);
  EXPECT_EQ(test::count_ops(m, "Constant"), 0);
  EXPECT_GE(test::rewrites_of(r, "constant_folding"), 70);
  test::expect_same_outputs("mobilenet_v2_random", m);
}

}  // namespace
}  // namespace ew
