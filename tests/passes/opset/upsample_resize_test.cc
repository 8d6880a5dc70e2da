// Upsample (7, 9) <-> Resize (10, 11, 13) keep their results on the way up and down.
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

Model upsample7(const std::string& mode) {
  GraphBuilder b("upsample", 7);
  auto x = b.input("x", DType::kFloat32, {1, 2, 3, 4});
  b.output(b.node("Upsample", {x}, {{"mode", Attribute::make_string(mode)}, {"scales", Attribute::make_floats({1, 1, 2, 3})}}, "up"));
  return built(b);
}

TEST(OpsetUpsampleResize, NearestUpsampleBecomesAsymmetricFloorResize) {
  Model m = upsample7("nearest");
  std::map<std::string, Tensor> feeds{{"x", test::ramp({1, 2, 3, 4})}};
  test::expect_conversions_keep_outputs(m, {9, 10, 11, 13, 17}, feeds);
  Model r = test::converted(m, 17);
  ASSERT_EQ(test::count_op(r, "Resize"), 1);
  const Node& n = r.graph.nodes[0];
  EXPECT_EQ(n.attr_string("coordinate_transformation_mode", ""), "asymmetric");
  EXPECT_EQ(n.attr_string("nearest_mode", ""), "floor");
}

TEST(OpsetUpsampleResize, LinearRoundTripsDownToOpset7) {
  Model m = upsample7("linear");
  std::map<std::string, Tensor> feeds{{"x", test::ramp({1, 2, 3, 4})}};
  Model up = test::converted(m, 13);
  test::expect_same_outputs(m, up, feeds);
  Model down = test::converted(up, 7);
  EXPECT_EQ(test::count_op(down, "Upsample"), 1);
  EXPECT_EQ(down.graph.nodes[0].attr_floats("scales"), (std::vector<float>{1, 1, 2, 3}));
  EXPECT_TRUE(down.graph.initializers.empty()) << "the roi and scales constants are pruned";
  test::expect_same_outputs(m, down, feeds);
}

TEST(OpsetUpsampleResize, ShrinkingNearestResize10UsesCeil) {
  GraphBuilder b("shrink", 10);
  auto x = b.input("x", DType::kFloat32, {1, 1, 4, 6});
  auto s = b.constant("scales", test::make_f32({4}, {1, 1, 0.5f, 0.6f}));
  b.output(b.node("Resize", {x, s}, {{"mode", Attribute::make_string("nearest")}}, "shrink"));
  Model m = built(b);
  Model r = test::converted(m, 11);
  EXPECT_EQ(r.graph.nodes[0].attr_string("nearest_mode", ""), "ceil");
  test::expect_same_outputs(m, r, {{"x", test::ramp({1, 1, 4, 6})}});
  test::expect_conversion_fails(m, 9, {"'shrink' (Resize)", "downsamples"});
}

TEST(OpsetUpsampleResize, SizesBecomeScalesForAStaticInput) {
  GraphBuilder b("sizes", 13);
  auto x = b.input("x", DType::kFloat32, {1, 1, 3, 5});
  auto sizes = b.constant("sizes", test::make_i64({4}, {1, 1, 7, 11}));
  b.output(b.node("Resize", {x, "", "", sizes},
                  {{"mode", Attribute::make_string("nearest")},
                   {"coordinate_transformation_mode", Attribute::make_string("asymmetric")},
                   {"nearest_mode", Attribute::make_string("floor")}}, "grow"));
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {11, 10, 9}, {{"x", test::ramp({1, 1, 3, 5})}});
}

TEST(OpsetUpsampleResize, HalfPixelCannotGoBelow11) {
  GraphBuilder b("half", 13);
  auto x = b.input("x", DType::kFloat32, {1, 1, 2, 2});
  auto s = b.constant("scales", test::make_f32({4}, {1, 1, 2, 2}));
  b.output(b.node("Resize", {x, "", s}, {{"mode", Attribute::make_string("linear")}}, "half"));
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {11, 17}, {{"x", test::ramp({1, 1, 2, 2})}});
  test::expect_conversion_fails(m, 10, {"'half' (Resize)", "half_pixel", "opset 11"});
}

TEST(OpsetUpsampleResize, RunTimeScalesCannotBecomeAnAttribute) {
  GraphBuilder b("dynamic", 9);
  auto x = b.input("x", DType::kFloat32, {1, 1, 2, 2});
  auto s = b.input("scales", DType::kFloat32, {4});
  b.output(b.node("Upsample", {x, s}, {}, "dyn"));
  Model m = built(b);
  std::map<std::string, Tensor> feeds{{"x", test::ramp({1, 1, 2, 2})}, {"scales", test::make_f32({4}, {1, 1, 2, 2})}};
  // Upsample only enlarges, so within one conversion its Resize rounds down (floor) exactly.
  for (int64_t target : {10, 11, 17}) test::expect_same_outputs(m, test::converted(m, target), feeds);
  // A Resize-10 with run-time scales may enlarge or shrink: opset 11 has no rounding for both.
  test::expect_conversion_fails(test::converted(m, 10), 11, {"'dyn' (Resize)", "computed at run time"});
  test::expect_conversion_fails(m, 7, {"'dyn' (Upsample)", "scales", "computed at run time"});
}

}  // namespace
}  // namespace ew
