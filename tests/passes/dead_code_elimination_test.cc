#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

TEST(DeadCodeElimination, RemovesUnreachableNodesAndInitializers) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(2)});
  std::string unused = b.constant("unused", test::make_f32({2}, {1, 2}));
  b.node("Neg", {b.node("Relu", {x})});  // dead chain
  b.output(b.node("Abs", {x}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  auto n = kDeadCodeElimination.run(*m);
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(*n, 3);  // Relu, Neg, the initializer
  ASSERT_EQ(m->graph.nodes.size(), 1u);
  EXPECT_EQ(m->graph.nodes[0].op_type, "Abs");
  EXPECT_FALSE(m->graph.is_initializer(unused));
}

TEST(DeadCodeElimination, KeepsValuesReadBySubgraphs) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(2)});
  std::string cond = b.input("c", DType::kBool, {});
  std::string inner = b.node("Neg", {x});  // read only inside the branches
  auto branch = [&](const char* name) {
    auto g = std::make_shared<Graph>();
    g->name = name;
    Node n;
    n.op_type = "Identity";
    n.inputs = {inner};
    n.outputs = {std::string(name) + "_out"};
    g->nodes.push_back(n);
    g->outputs.push_back({n.outputs[0], ValueType{DType::kFloat32, true, {Dim(2)}}});
    return Attribute::make_graph(g);
  };
  b.output(b.node("If", {cond}, {{"then_branch", branch("then")}, {"else_branch", branch("else")}}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(*kDeadCodeElimination.run(*m), 0);
  EXPECT_EQ(m->graph.nodes.size(), 2u);
}

}  // namespace
}  // namespace ew
