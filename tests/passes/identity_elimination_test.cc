#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

TEST(IdentityElimination, RemovesIdentityDropoutAndNoOpCast) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(2)});
  std::string a = b.node("Identity", {b.node("Relu", {x})});
  std::string d = b.node("Dropout", {a});
  std::string c = b.node("Cast", {d}, {{"to", Attribute::make_int(1)}});
  b.output(b.node("Neg", {c}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kIdentityElimination.run(*m), 3);
  ASSERT_EQ(m->graph.nodes.size(), 2u);
  EXPECT_EQ(m->graph.nodes[1].inputs[0], m->graph.nodes[0].outputs[0]);
}

TEST(IdentityElimination, GraphOutputKeepsItsName) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(2)});
  std::string y = b.node("Identity", {b.node("Relu", {x})});
  b.output(y);
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  EXPECT_EQ(*kIdentityElimination.run(*m), 1);
  EXPECT_EQ(m->graph.outputs[0].name, y);
  ASSERT_EQ(m->graph.nodes.size(), 1u);
  EXPECT_EQ(m->graph.nodes[0].op_type, "Relu");
  EXPECT_EQ(m->graph.nodes[0].outputs[0], m->graph.outputs[0].name);
  EXPECT_TRUE(m->graph.sort_and_validate().is_ok());
}

TEST(IdentityElimination, KeepsIdentityOfGraphInputToOutput) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(2)});
  b.output(b.node("Identity", {x}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  EXPECT_EQ(*kIdentityElimination.run(*m), 0);
}

TEST(IdentityElimination, CastToAnotherTypeStays) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(2)});
  b.output(b.node("Cast", {x}, {{"to", Attribute::make_int(7)}}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kIdentityElimination.run(*m), 0);
}

TEST(IdentityElimination, SqueezeNetIdentitiesGo) {
  EW_REQUIRE_SHARED_MODELS();
  Model m = test::optimized_shared("squeezenet1_1_random", 1);
  EXPECT_EQ(test::count_ops(m, "Identity"), 0);
  test::expect_same_outputs("squeezenet1_1_random", m);
}

}  // namespace
}  // namespace ew
