#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

TEST(ShapeFolding, ShapeOfStaticTensorBecomesConstant) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(2), Dim(3)});
  std::string s = b.node("Shape", {x});
  b.output(b.node("Reshape", {x, s}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  auto n = kShapeFolding.run(*m);
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(*n, 1);
  ASSERT_EQ(m->graph.nodes.size(), 1u);
  EXPECT_EQ(test::values_i64(*m->graph.initializer(s)), (std::vector<int64_t>{2, 3}));
}

TEST(ShapeFolding, SymbolicDimsStay) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim::symbolic("N"), Dim(3)});
  b.output(b.node("Shape", {x}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kShapeFolding.run(*m), 0);
}

TEST(ShapeFolding, TinyBertWithBoundDimsLosesItsShapeChains) {
  EW_REQUIRE_SHARED_MODELS();
  OptimizeReport r;
  Model m = test::optimized_shared("tiny_bert_op17_random", 1, &r, {{"B", 1}, {"S", 32}});
  EXPECT_EQ(test::count_ops(m, "Shape"), 0);
  EXPECT_GT(test::rewrites_of(r, "shape_folding"), 0);
  EXPECT_LT(r.nodes_after, r.nodes_before / 2);
  test::expect_same_outputs("tiny_bert_op17_random", m);
}

}  // namespace
}  // namespace ew
