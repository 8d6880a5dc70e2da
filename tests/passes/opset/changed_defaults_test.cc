// Gemm C (11), Pow exponent type (12), Reshape allowzero (14), Max broadcasting (8), RoiAlign mode (16).
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

TEST(OpsetChangedDefaults, OptionalCAndMixedPowTypesGoDown) {
  GraphBuilder b("defaults", 13);
  auto x = b.input("x", DType::kFloat32, {2, 3});
  auto g = b.node("Gemm", {x, b.constant("w", test::ramp({3, 4}))}, {}, "gemm_no_c");
  auto p = b.node("Pow", {g, b.constant("two", test::make_i64({}, {2}))}, {}, "pow_int");
  auto r = b.node("Reshape", {p, b.constant("shape", test::make_i64({2}, {4, 2}))}, {{"allowzero", Attribute::make_int(0)}}, "reshape");
  b.output(r);
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {11, 9, 7, 17}, {{"x", test::ramp({2, 3})}});
  Model down = test::converted(m, 9);
  EXPECT_EQ(down.graph.nodes[0].inputs.size(), 3u) << "zero C";
  EXPECT_EQ(test::count_op(down, "Cast"), 1) << "exponent cast to float";
}

TEST(OpsetChangedDefaults, BroadcastingMaxCannotGoBelow8) {
  GraphBuilder b("max", 13);
  auto x = b.input("x", DType::kFloat32, {2, 3});
  b.output(b.node("Max", {x, b.constant("row", test::ramp({3}))}, {}, "bmax"));
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {8}, {{"x", test::ramp({2, 3})}});
  test::expect_conversion_fails(m, 7, {"'bmax' (Max)", "broadcast only from opset 8"});
}

TEST(OpsetChangedDefaults, RoiAlignStatesItsOldCoordinateMode) {
  GraphBuilder b("roi", 10);
  auto x = b.input("x", DType::kFloat32, {1, 1, 4, 4});
  auto rois = b.constant("rois", test::make_f32({1, 4}, {0.5f, 0.5f, 2.5f, 3.0f}));
  auto idx = b.constant("batch", test::make_i64({1}, {0}));
  b.output(b.node("RoiAlign", {x, rois, idx}, {{"output_height", Attribute::make_int(2)}, {"output_width", Attribute::make_int(2)}}, "roi"));
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {16, 17, 10}, {{"x", test::ramp({1, 1, 4, 4})}});
  EXPECT_EQ(test::converted(m, 16).graph.nodes[0].attr_string("coordinate_transformation_mode", ""), "output_half_pixel");
}

}  // namespace
}  // namespace ew
