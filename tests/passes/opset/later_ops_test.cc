// Constant value_* (12), HardSwish (14), CastLike (15), Shape start/end (15) going down.
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

TEST(OpsetLaterOps, RewrittenWithOlderOps) {
  GraphBuilder b("later", 15);
  auto x = b.input("x", DType::kFloat32, {2, 3, 4});
  auto hs = b.node("HardSwish", {x}, {}, "hswish");
  auto k = b.node("Constant", {}, {{"value_float", Attribute::make_float(2.5f)}}, "k");
  auto scaled = b.node("Mul", {hs, k}, {}, "scaled");
  auto like = b.node("CastLike", {b.constant("ints", test::make_i64({4}, {1, 2, 3, 4})), x}, {}, "like");
  auto shape = b.node("Shape", {x}, {{"start", Attribute::make_int(1)}, {"end", Attribute::make_int(-1)}}, "shape");
  b.output(b.node("Add", {scaled, like}, {}, "sum"));
  b.output(shape);
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {14, 13, 11}, {{"x", test::ramp({2, 3, 4})}}, {1e-6, 1e-6, 0});
  Model down = test::converted(m, 11);
  for (const char* op : {"HardSwish", "CastLike"}) EXPECT_EQ(test::count_op(down, op), 0) << op;
  EXPECT_EQ(test::count_op(down, "Slice"), 1);
}

TEST(OpsetLaterOps, OpsWithoutAnOlderFormNameTheOpsetTheyNeed) {
  GraphBuilder b("grid", 16);
  auto x = b.input("x", DType::kFloat32, {1, 1, 3, 3});
  auto grid = b.input("grid", DType::kFloat32, {1, 2, 2, 2});
  b.output(b.node("GridSample", {x, grid}, {}, "sampler"));
  test::expect_conversion_fails(built(b), 15, {"'sampler' (GridSample)", "needs opset 16"});
}

}  // namespace
}  // namespace ew
