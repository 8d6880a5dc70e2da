// Slice across opset 10: attributes <-> constant inputs.
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

TEST(OpsetSlice, AttributesBecomeInputsAndBack) {
  GraphBuilder b("slice", 9);
  auto x = b.input("x", DType::kFloat32, {3, 4, 5});
  b.output(b.node("Slice", {x}, {{"starts", Attribute::make_ints({1, -4})}, {"ends", Attribute::make_ints({3, 100})},
                                 {"axes", Attribute::make_ints({0, 2})}}, "cut"));
  Model m = built(b);
  std::map<std::string, Tensor> feeds{{"x", test::ramp({3, 4, 5})}};
  test::expect_conversions_keep_outputs(m, {10, 13, 17, 9}, feeds);
  Model up = test::converted(m, 10);
  EXPECT_EQ(up.graph.nodes[0].inputs.size(), 4u);
  EXPECT_TRUE(up.graph.nodes[0].attributes.empty());
}

TEST(OpsetSlice, StepsOtherThanOneNeedOpset10) {
  GraphBuilder b("steps", 13);
  auto x = b.input("x", DType::kFloat32, {6});
  auto s = b.constant("starts", test::make_i64({1}, {0}));
  auto e = b.constant("ends", test::make_i64({1}, {6}));
  auto a = b.constant("axes", test::make_i64({1}, {0}));
  auto st = b.constant("steps", test::make_i64({1}, {2}));
  b.output(b.node("Slice", {x, s, e, a, st}, {}, "strided"));
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {10, 17}, {{"x", test::ramp({6})}});
  test::expect_conversion_fails(m, 9, {"'strided' (Slice)", "steps"});
}

TEST(OpsetSlice, RunTimeStartsFailNamingTheNode) {
  GraphBuilder b("dynamic", 11);
  auto x = b.input("x", DType::kFloat32, {6});
  auto s = b.input("starts", DType::kInt64, {1});
  auto e = b.constant("ends", test::make_i64({1}, {6}));
  b.output(b.node("Slice", {x, s, e}, {}, "dyn"));
  test::expect_conversion_fails(built(b), 9, {"'dyn' (Slice)", "starts", "computed at run time"});
}

}  // namespace
}  // namespace ew
