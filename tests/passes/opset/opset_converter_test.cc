// The driver: steps, subgraphs, the schema check, the report, bad requests.
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

// If(cond) with branches that Unsqueeze the outer `x` (axes an attribute at opset 11).
Model if_model() {
  GraphBuilder b("if", 11);
  auto x = b.input("x", DType::kFloat32, {2, 3});
  auto cond = b.input("cond", DType::kBool, {});
  auto branch = [&](const std::string& name, int64_t axis) {
    auto g = std::make_shared<Graph>();
    g->name = name;
    Node n;
    n.name = name + "_unsqueeze";
    n.op_type = "Unsqueeze";
    n.inputs = {x};
    n.outputs = {name + "_out"};
    n.attributes["axes"] = Attribute::make_ints({axis});
    Node s;
    s.name = name + "_softmax";
    s.op_type = "Softmax";
    s.inputs = {n.outputs[0]};
    s.outputs = {name + "_sm"};
    s.attributes["axis"] = Attribute::make_int(-1);
    g->nodes = {n, s};
    g->outputs = {{name + "_sm", {}}};
    return Attribute::make_graph(g);
  };
  b.output(b.node("If", {cond}, {{"then_branch", branch("then", 0)}, {"else_branch", branch("else", 2)}}, "choose"));
  return built(b);
}

TEST(OpsetConverter, RecursesIntoSubgraphs) {
  Model m = if_model();
  for (bool c : {true, false}) {
    std::map<std::string, Tensor> feeds{{"x", test::ramp({2, 3})}, {"cond", test::make<bool>({}, {c})}};
    test::expect_conversions_keep_outputs(m, {13, 17, 11}, feeds);
  }
  OpsetReport r;
  Model up = test::converted(m, 13, &r);
  const Graph* then_branch = up.graph.nodes[0].attr_graph("then_branch");
  ASSERT_NE(then_branch, nullptr);
  EXPECT_FALSE(then_branch->nodes[0].has_attr("axes"));
  EXPECT_EQ(then_branch->nodes[0].inputs.size(), 2u);
  EXPECT_EQ(then_branch->initializers.size(), 1u) << "the axes constant lives in the subgraph";
  EXPECT_EQ(r.per_op()["Unsqueeze"]["axes attribute -> input"], 2);
  // The copy converted; the original's subgraphs are untouched.
  EXPECT_TRUE(m.graph.nodes[0].attr_graph("then_branch")->nodes[0].has_attr("axes"));
}

TEST(OpsetConverter, ReportsRewritesAndImportOnlyChanges) {
  GraphBuilder b("report", 9);
  auto x = b.input("x", DType::kFloat32, {2, 4});
  auto s = b.node("Slice", {x}, {{"starts", Attribute::make_ints({0})}, {"ends", Attribute::make_ints({1})}}, "cut");
  b.output(b.node("Relu", {b.node("Add", {s, s}, {}, "add")}, {}, "relu"));
  OpsetReport r;
  Model m = test::converted(built(b), 14, &r);
  EXPECT_EQ(r.from, 9);
  EXPECT_EQ(r.to, 14);
  EXPECT_TRUE(r.checked);
  ASSERT_EQ(r.rewrites.size(), 1u);
  EXPECT_EQ(r.rewrites[0].op_type, "Slice");
  EXPECT_EQ(r.rewrites[0].from, 9);
  EXPECT_EQ(r.rewrites[0].to, 10);
  EXPECT_EQ(r.version_only["Add"], 1);
  EXPECT_EQ(r.version_only["Relu"], 1);
  EXPECT_EQ(r.version_only.count("Slice"), 0u);
  EXPECT_EQ(m.ir_version, 8);
}

TEST(OpsetConverter, DropsAttributesThatHoldTheOldDefault) {
  GraphBuilder b("argmax", 13);
  auto x = b.input("x", DType::kFloat32, {2, 4});
  b.output(b.node("ArgMax", {x}, {{"axis", Attribute::make_int(1)}, {"select_last_index", Attribute::make_int(0)}}, "am"));
  Model m = built(b);
  OpsetReport r;
  Model down = test::converted(m, 11, &r);
  EXPECT_FALSE(down.graph.nodes[0].has_attr("select_last_index"));
  EXPECT_EQ(r.dropped_default_attributes["ArgMax.select_last_index"], 1);
  m.graph.nodes[0].attributes["select_last_index"] = Attribute::make_int(1);
  test::expect_conversion_fails(m, 11, {"'am' (ArgMax)", "select_last_index", "needs opset 12"});
}

TEST(OpsetConverter, InputTypesMustBeAcceptedAtTheTarget) {
  GraphBuilder b("relu_int", 14);
  auto x = b.input("x", DType::kInt32, {3});
  b.output(b.node("Relu", {x}, {}, "irelu"));
  test::expect_conversion_fails(built(b), 13, {"'irelu' (Relu)", "int32", "does not accept"});
}

TEST(OpsetConverter, RejectsOpsetsOutsideTheRange) {
  GraphBuilder b("range", 13);
  b.output(b.node("Relu", {b.input("x", DType::kFloat32, {2})}));
  Model m = built(b);
  for (int64_t bad : {6, 18, 0}) {
    Model c = m;
    Status s = convert_opset(c, bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("7-17"), std::string::npos) << s.message();
  }
  m.opsets[0].version = 18;
  Status s = convert_opset(m, 17);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  m.opsets.clear();
  EXPECT_FALSE(convert_opset(m, 17).is_ok());
}

TEST(OpsetConverter, SameOpsetOnlyValidates) {
  GraphBuilder b("same", 12);
  b.output(b.node("Relu", {b.input("x", DType::kFloat32, {2})}));
  OpsetReport r;
  Model m = test::converted(built(b), 12, &r);
  EXPECT_TRUE(r.checked);
  EXPECT_TRUE(r.rewrites.empty());
  EXPECT_EQ(m.opset(""), 12);
}

TEST(OpsetConverter, OldIrVersionIsRaisedForTheTarget) {
  GraphBuilder b("ir", 8);
  b.output(b.node("Relu", {b.input("x", DType::kFloat32, {2})}));
  Model m = built(b);
  m.ir_version = 3;
  EXPECT_EQ(test::converted(m, 9).ir_version, 4);
  EXPECT_EQ(test::converted(m, 13).ir_version, 7);
}

}  // namespace
}  // namespace ew
