#include "ir/graph.h"

#include <gtest/gtest.h>

namespace ew {

namespace {
Node make_node(const std::string& op, std::vector<std::string> in, std::vector<std::string> out) {
  Node n;
  n.name = out.empty() ? op : out[0] + "_node";
  n.op_type = op;
  n.inputs = std::move(in);
  n.outputs = std::move(out);
  return n;
}
}  // namespace

TEST(Graph, SortsNodesTopologically) {
  Graph g;
  g.inputs.push_back({"x", ValueType::of(DType::kFloat32, {1})});
  g.nodes.push_back(make_node("Relu", {"b"}, {"c"}));
  g.nodes.push_back(make_node("Relu", {"x"}, {"b"}));
  g.outputs.push_back({"c", {}});
  ASSERT_TRUE(g.sort_and_validate().is_ok());
  EXPECT_EQ(g.nodes[0].outputs[0], "b");
  EXPECT_EQ(g.nodes[1].outputs[0], "c");
}

TEST(Graph, CycleIsNamed) {
  Graph g;
  g.name = "loopy";
  g.nodes.push_back(make_node("Relu", {"b"}, {"a"}));
  g.nodes.push_back(make_node("Relu", {"a"}, {"b"}));
  g.outputs.push_back({"a", {}});
  Status s = g.sort_and_validate();
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("cycle"), std::string::npos) << s.message();
}

TEST(Graph, DanglingInputIsNamed) {
  Graph g;
  g.nodes.push_back(make_node("Relu", {"ghost"}, {"y"}));
  g.outputs.push_back({"y", {}});
  Status s = g.sort_and_validate();
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("'ghost'"), std::string::npos) << s.message();
}

TEST(Graph, DuplicateProducerAndMissingOutputAreErrors) {
  Graph g;
  g.inputs.push_back({"x", {}});
  g.nodes.push_back(make_node("Relu", {"x"}, {"y"}));
  g.nodes.push_back(make_node("Neg", {"x"}, {"y"}));
  g.outputs.push_back({"y", {}});
  EXPECT_NE(g.sort_and_validate().message().find("more than once"), std::string::npos);
  Graph h;
  h.inputs.push_back({"x", {}});
  h.outputs.push_back({"never", {}});
  EXPECT_NE(h.sort_and_validate().message().find("never produced"), std::string::npos);
}

TEST(Graph, SubgraphsMayReadOuterValues) {
  auto body = std::make_shared<Graph>();
  body->nodes.push_back(make_node("Relu", {"outer"}, {"inner"}));
  body->outputs.push_back({"inner", {}});
  Graph g;
  g.inputs.push_back({"outer", {}});
  g.inputs.push_back({"cond", {}});
  Node n = make_node("If", {"cond"}, {"y"});
  n.attributes["then_branch"] = Attribute::make_graph(body);
  n.attributes["else_branch"] = Attribute::make_graph(body);
  g.nodes.push_back(n);
  g.outputs.push_back({"y", {}});
  EXPECT_TRUE(g.sort_and_validate().is_ok());
  EXPECT_EQ(node_implicit_inputs(g.nodes[0]), (std::set<std::string>{"outer"}));
  EXPECT_EQ(g.total_nodes(), 3u);
}

}  // namespace ew
