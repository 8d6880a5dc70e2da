// Pad across opset 11: pads/value attributes <-> inputs.
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

TEST(OpsetPad, ConstantAndReflectPadsConvertBothWays) {
  GraphBuilder b("pad", 7);
  auto x = b.input("x", DType::kFloat32, {2, 3});
  auto c = b.node("Pad", {x}, {{"pads", Attribute::make_ints({0, 1, 1, 2})}, {"value", Attribute::make_float(7.5f)}}, "const");
  b.output(b.node("Pad", {c}, {{"mode", Attribute::make_string("reflect")}, {"pads", Attribute::make_ints({1, 1, 1, 1})}}, "refl"));
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {11, 13, 17, 7}, {{"x", test::ramp({2, 3})}});
  Model up = test::converted(m, 11);
  EXPECT_EQ(up.graph.nodes[0].inputs.size(), 3u);
  EXPECT_EQ(up.graph.nodes[1].inputs.size(), 2u);
}

TEST(OpsetPad, RunTimePadsFail) {
  GraphBuilder b("pad", 13);
  auto x = b.input("x", DType::kFloat32, {2, 3});
  auto p = b.input("pads", DType::kInt64, {4});
  b.output(b.node("Pad", {x, p}, {}, "dyn_pad"));
  test::expect_conversion_fails(built(b), 10, {"'dyn_pad' (Pad)", "pads"});
}

}  // namespace
}  // namespace ew
