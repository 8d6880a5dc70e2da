// TopK k (10), Clip min/max (11), Dropout ratio (12) and mask type (10).
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

TEST(OpsetScalarInputs, ClipBoundsMoveBetweenAttributesAndInputs) {
  GraphBuilder b("clip", 7);
  auto x = b.input("x", DType::kFloat32, {2, 5});
  auto lo = b.node("Clip", {x}, {{"min", Attribute::make_float(-1.5f)}, {"max", Attribute::make_float(2.0f)}}, "both");
  b.output(b.node("Clip", {lo}, {{"max", Attribute::make_float(1.0f)}}, "max_only"));
  Model m = built(b);
  std::map<std::string, Tensor> feeds{{"x", test::ramp({2, 5})}};
  test::expect_conversions_keep_outputs(m, {11, 13, 17, 7}, feeds);
  Model up = test::converted(m, 12);
  EXPECT_EQ(up.graph.nodes[1].inputs, (std::vector<std::string>{up.graph.nodes[0].outputs[0], "", up.graph.nodes[1].inputs[2]}));
}

TEST(OpsetScalarInputs, ClipWithRunTimeBoundsCannotGoBelow11) {
  GraphBuilder b("clip", 13);
  auto x = b.input("x", DType::kFloat32, {3});
  auto lo = b.input("lo", DType::kFloat32, {});
  b.output(b.node("Clip", {x, lo}, {}, "dyn"));
  test::expect_conversion_fails(built(b), 10, {"'dyn' (Clip)", "min", "computed at run time"});
}

TEST(OpsetScalarInputs, TopKMovesK) {
  GraphBuilder b("topk", 9);
  auto x = b.input("x", DType::kFloat32, {3, 6});
  auto outs = b.node_n("TopK", {x}, 2, {{"k", Attribute::make_int(2)}, {"axis", Attribute::make_int(1)}}, "top");
  b.output(outs[0]);
  b.output(outs[1]);
  test::expect_conversions_keep_outputs(built(b), {10, 11, 17, 9}, {{"x", test::ramp({3, 6})}});
}

TEST(OpsetScalarInputs, DropoutRatioAndMaskKeepTheirMeaning) {
  GraphBuilder b("dropout", 7);
  auto x = b.input("x", DType::kFloat32, {2, 3});
  auto outs = b.node_n("Dropout", {x}, 2, {{"ratio", Attribute::make_float(0.25f)}}, "drop");
  b.output(b.node("Mul", {outs[0], outs[1]}, {}, "masked"));  // reads the mask as float
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {10, 12, 17, 7}, {{"x", test::ramp({2, 3})}});
  Model up = test::converted(m, 13);
  EXPECT_EQ(test::count_op(up, "Cast"), 1) << "the bool mask is cast to float for its reader";
}

TEST(OpsetScalarInputs, DropoutInTrainingModeCannotGoBelow12) {
  GraphBuilder b("train", 13);
  auto x = b.input("x", DType::kFloat32, {4});
  auto t = b.constant("training", test::make<bool>({}, {true}));
  b.output(b.node("Dropout", {x, "", t}, {}, "train_drop"));
  test::expect_conversion_fails(built(b), 11, {"'train_drop' (Dropout)", "training_mode"});
}

}  // namespace
}  // namespace ew
