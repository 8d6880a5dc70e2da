// Below opset 11 axes are non-negative.
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

TEST(OpsetNegativeAxes, MadeExplicitFromTheRank) {
  GraphBuilder b("neg", 11);
  auto x = b.input("x", DType::kFloat32, {2, 3, 4});
  auto c = b.node("Concat", {x, x}, {{"axis", Attribute::make_int(-1)}}, "cat");
  auto r = b.node("ReduceMax", {c}, {{"axes", Attribute::make_ints({-2})}}, "rmax");
  auto g = b.node("Gather", {r, b.constant("idx", test::make_i64({2}, {1, 0}))}, {{"axis", Attribute::make_int(-3)}}, "gather");
  auto f = b.node("Flatten", {g}, {{"axis", Attribute::make_int(-1)}}, "flat");
  auto a = b.node("ArgMax", {f}, {{"axis", Attribute::make_int(-1)}}, "argmax");
  b.output(f);
  b.output(a);
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {10, 7, 11}, {{"x", test::ramp({2, 3, 4})}});
  Model down = test::converted(m, 10);
  EXPECT_EQ(down.graph.nodes[0].attr_int("axis", 0), 2);
  EXPECT_EQ(down.graph.nodes[1].attr_ints("axes"), std::vector<int64_t>{1});
}

TEST(OpsetNegativeAxes, UnknownRankFails) {
  GraphBuilder b("neg", 11);
  auto x = b.input("x", DType::kFloat32, {2, 3});
  auto y = b.node("Reshape", {x, b.input("shape", DType::kInt64, {Dim::symbolic("R")})}, {}, "reshape");
  b.output(b.node("Concat", {y, y}, {{"axis", Attribute::make_int(-1)}}, "cat"));
  test::expect_conversion_fails(built(b), 10, {"'cat' (Concat)", "negative axis -1", "opset 11"});
}

}  // namespace
}  // namespace ew
