// LayerNormalization (17) is decomposed going down.
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

Model layer_norm(std::optional<int64_t> axis, bool bias, int outputs) {
  GraphBuilder b("ln", 17);
  auto x = b.input("x", DType::kFloat32, {Dim::symbolic("N"), 3, 4});
  const Shape p = axis && (*axis == 1 || *axis == -2) ? Shape{3, 4} : Shape{4};
  auto scale = b.constant("scale", test::ramp(p, 0.5f, 0.1f));
  std::vector<std::string> in{x, scale};
  if (bias) in.push_back(b.constant("bias", test::ramp(p, -0.3f, 0.05f)));
  std::map<std::string, Attribute> attrs{{"epsilon", Attribute::make_float(1e-3f)}};
  if (axis) attrs["axis"] = Attribute::make_int(*axis);
  auto outs = b.node_n("LayerNormalization", in, outputs, attrs, "ln");
  for (const auto& o : outs) b.output(o);
  return built(b);
}

TEST(OpsetLayerNorm, DecomposedBelow17WithTheSameResults) {
  const Tolerance close{1e-5, 1e-6, 0};
  std::map<std::string, Tensor> feeds{{"x", test::ramp({2, 3, 4})}};
  test::expect_conversions_keep_outputs(layer_norm(std::nullopt, true, 1), {16, 11, 7}, feeds, close);
  test::expect_conversions_keep_outputs(layer_norm(-2, false, 1), {16, 9}, feeds, close);
  test::expect_conversions_keep_outputs(layer_norm(1, true, 3), {16, 13}, feeds, close);
  Model down = test::converted(layer_norm(std::nullopt, true, 1), 16);
  EXPECT_EQ(test::count_op(down, "LayerNormalization"), 0);
  EXPECT_EQ(test::count_op(down, "ReduceMean"), 2);
}

}  // namespace
}  // namespace ew
