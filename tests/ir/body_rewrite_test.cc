// rewrite_bodies: lends each body out as a scratch model's main graph with
// the outer scope as extra inputs (and, optionally, outer initializers as
// copies), then takes those out again.
#include <gtest/gtest.h>

#include "ir/body_rewrite.h"
#include "ops/control/graph_builder.h"
#include "passes/graph_rewrite.h"
#include "test_util.h"

namespace ew {
namespace {

// main: x, w -> If(c): then reads x and outer initializer w; else holds Loop whose body reads w.
Model nested_model() {
  auto then_g = test::make_graph("then", {}, {test::untyped("t")}, {test::make_node("MatMul", {"x", "w"}, {"t"})});
  auto loop_body = test::make_graph(
      "loop_body",
      {test::typed("i", DType::kInt64, {}), test::typed("ci", DType::kBool, {}), test::typed("h", DType::kFloat32, {1, 2})},
      {test::untyped("co"), test::untyped("h2")},
      {test::make_node("Identity", {"ci"}, {"co"}), test::make_node("MatMul", {"h", "w"}, {"h2"})});
  Node loop = test::make_node("Loop", {"m", "", "x"}, {"e"}, {{"body", Attribute::make_graph(loop_body)}});
  loop.name = "loop";
  auto else_g = test::make_graph("else", {}, {test::untyped("e")}, {loop}, {{"m", test::make_i64({}, {2})}});
  Node node_if = test::make_node("If", {"c"}, {"y"},
                                 {{"then_branch", Attribute::make_graph(then_g)}, {"else_branch", Attribute::make_graph(else_g)}});
  node_if.name = "if";
  auto g = test::make_graph("main", {test::typed("c", DType::kBool, {}), test::typed("x", DType::kFloat32, {1, 2})},
                            {test::untyped("y")}, {node_if}, {{"w", test::make_f32({2, 2}, {1, 0, 0, 1})}});
  Model m;
  m.opsets.push_back({"", 13});
  m.graph = *g;
  return m;
}

TEST(BodyRewrite, VisitsOuterBodiesFirstWithScopedPaths) {
  Model m = nested_model();
  std::vector<std::string> paths;
  ASSERT_TRUE(rewrite_bodies(m, {}, [&](Model& body, const std::string& path) {
    paths.push_back(path);
    return Status::ok();
  }).is_ok());
  // Pre-order, attributes in name order: a body before the bodies nested in it.
  EXPECT_EQ(paths, (std::vector<std::string>{"if/else_branch", "if/else_branch/loop/body", "if/then_branch"}));
  EXPECT_EQ(scoped_name("if/then_branch", "mm"), "if/then_branch/mm");
  EXPECT_EQ(scoped_name("", "mm"), "mm");
}

TEST(BodyRewrite, OuterScopeIsLentAsTypedInputsThenTakenOut) {
  Model m = nested_model();
  const Model original = m;
  ASSERT_TRUE(rewrite_bodies(m, {}, [&](Model& body, const std::string& path) -> Status {
    const ValueType* x = body.graph.find_type("x");
    EXPECT_TRUE(x && x->dtype == DType::kFloat32) << path;
    EXPECT_FALSE(body.graph.is_initializer("w")) << path;
    EW_RETURN_IF_ERROR(body.graph.sort_and_validate());
    // A fresh name never repeats a name used elsewhere in the model.
    EXPECT_NE(fresh_name(body.graph, "w"), "w");
    EXPECT_NE(fresh_name(body.graph, "h2"), "h2");
    add_initializer(body.graph, "w", test::make_f32({}, {0}));
    return Status::ok();
  }).is_ok());
  const Graph* then_g = m.graph.nodes[0].attr_graph("then_branch");
  ASSERT_NE(then_g, nullptr);
  EXPECT_TRUE(then_g->inputs.empty());
  EXPECT_TRUE(then_g->is_initializer("w_3"));  // w_1 and w_2 went to else_branch and its loop body
  EXPECT_TRUE(m.graph.is_initializer("w"));
  EXPECT_TRUE(original.graph.nodes[0].attr_graph("then_branch")->initializers.empty());  // the shallow copy's body
  EXPECT_TRUE(m.graph.sort_and_validate().is_ok());
}

TEST(BodyRewrite, LentOuterInitializersAreDroppedWhenNoLongerRead) {
  Model m = nested_model();
  BodyRewriteOptions o;
  o.lend_outer_initializers = true;
  ASSERT_TRUE(rewrite_bodies(m, o, [&](Model& body, const std::string& path) {
    for (Node& n : body.graph.nodes)
      if (n.op_type == "MatMul") {
        EXPECT_TRUE(body.graph.is_initializer(n.inputs[1])) << path;
        n.inputs[1] = add_initializer(body.graph, n.inputs[1] + "_copy", body.graph.initializers.at(n.inputs[1]));
      }
    return Status::ok();
  }).is_ok());
  EXPECT_FALSE(m.graph.is_initializer("w"));  // both readers now hold their own copy
  EXPECT_TRUE(m.graph.sort_and_validate().is_ok());
}

TEST(BodyRewrite, ErrorsNameTheBody) {
  Model m = nested_model();
  Status s = rewrite_bodies(m, {}, [&](Model&, const std::string& path) {
    return path == "if/else_branch" ? invalid_argument("no") : Status::ok();
  });
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("body if/else_branch"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace ew
