// Squeeze / Unsqueeze / ReduceSum axes and Split's split across opset 13.
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

TEST(OpsetAxesInputs, AxesAndSplitMoveBothWays) {
  GraphBuilder b("axes", 11);
  auto x = b.input("x", DType::kFloat32, {2, 1, 6});
  auto sq = b.node("Squeeze", {x}, {{"axes", Attribute::make_ints({1})}}, "sq");
  auto un = b.node("Unsqueeze", {sq}, {{"axes", Attribute::make_ints({0, -1})}}, "unsq");
  auto rs = b.node("ReduceSum", {un}, {{"axes", Attribute::make_ints({2})}, {"keepdims", Attribute::make_int(0)}}, "rsum");
  auto parts = b.node_n("Split", {x}, 2, {{"axis", Attribute::make_int(2)}, {"split", Attribute::make_ints({2, 4})}}, "split");
  auto all = b.node("ReduceSum", {x}, {}, "rsum_all");
  b.output(rs);
  b.output(parts[0]);
  b.output(parts[1]);
  b.output(all);
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {13, 17, 11, 9}, {{"x", test::ramp({2, 1, 6})}});
  Model up = test::converted(m, 13);
  for (const Node& n : up.graph.nodes) EXPECT_FALSE(n.has_attr("axes") || n.has_attr("split")) << n.label();
}

TEST(OpsetAxesInputs, RunTimeAxesFailGoingDown) {
  GraphBuilder b("axes", 13);
  auto x = b.input("x", DType::kFloat32, {2, 3});
  auto a = b.input("axes", DType::kInt64, {1});
  b.output(b.node("Unsqueeze", {x, a}, {}, "dyn_unsqueeze"));
  test::expect_conversion_fails(built(b), 12, {"'dyn_unsqueeze' (Unsqueeze)", "axes", "computed at run time"});
}

TEST(OpsetAxesInputs, ConstantNodeAxesAreConstants) {
  GraphBuilder b("constant_node", 13);
  auto x = b.input("x", DType::kFloat32, {2, 3});
  auto a = b.node("Constant", {}, {{"value", Attribute::make_tensor(test::make_i64({1}, {1}))}}, "axes_const");
  b.output(b.node("Unsqueeze", {x, a}, {}, "unsq"));
  Model m = built(b);
  Model down = test::converted(m, 11);
  EXPECT_EQ(test::count_op(down, "Constant"), 0) << "the Constant node nothing reads any more is pruned";
  test::expect_same_outputs(m, down, {{"x", test::ramp({2, 3})}});
}

}  // namespace
}  // namespace ew
