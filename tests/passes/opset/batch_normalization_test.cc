// BatchNormalization across opsets 9 (spatial), 14 (training_mode), 15 (types).
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

Model batch_norm(int64_t opset, const Shape& param_shape, std::map<std::string, Attribute> attrs) {
  GraphBuilder b("bn", opset);
  auto x = b.input("x", DType::kFloat32, {2, 3, 2, 2});
  int64_t n = 1;
  for (int64_t d : param_shape) n *= d;
  auto p = [&](const char* name, float base) {
    std::vector<float> v;
    for (int64_t i = 0; i < n; ++i) v.push_back(base + 0.1f * static_cast<float>(i));
    return b.constant(name, test::make_f32(param_shape, v));
  };
  b.output(b.node("BatchNormalization", {x, p("scale", 0.5f), p("bias", -0.2f), p("mean", 0.3f), p("var", 0.7f)}, attrs, "bn"));
  return built(b);
}

TEST(OpsetBatchNorm, SpatialInferenceConvertsAcrossAllBoundaries) {
  Model m = batch_norm(7, {3}, {{"spatial", Attribute::make_int(1)}, {"epsilon", Attribute::make_float(1e-3f)}});
  test::expect_conversions_keep_outputs(m, {9, 14, 15, 17, 7}, {{"x", test::ramp({2, 3, 2, 2})}});
  Model up = test::converted(m, 9);
  EXPECT_FALSE(up.graph.nodes[0].has_attr("spatial"));
}

TEST(OpsetBatchNorm, PerActivationStatisticsBecomeTheFormula) {
  Model m = batch_norm(7, {3, 2, 2}, {{"spatial", Attribute::make_int(0)}});
  Model up = test::converted(m, 9);
  EXPECT_EQ(test::count_op(up, "BatchNormalization"), 0);
  EXPECT_EQ(test::count_op(up, "Sqrt"), 1);
  test::expect_same_outputs(m, up, {{"x", test::ramp({2, 3, 2, 2})}}, {1e-5, 1e-6, 0});
}

TEST(OpsetBatchNorm, TrainingModeCannotGoBelow14) {
  Model m = batch_norm(15, {3}, {{"training_mode", Attribute::make_int(1)}});
  test::expect_conversion_fails(m, 13, {"'bn' (BatchNormalization)", "training_mode"});
}

}  // namespace
}  // namespace ew
