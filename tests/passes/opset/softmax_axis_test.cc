// Softmax / LogSoftmax / Hardmax across opset 13: 2-D coercion vs one axis.
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

Model softmax_model(const std::string& op, int64_t opset, std::optional<int64_t> axis, std::vector<Dim> shape) {
  GraphBuilder b("softmax", opset);
  auto x = b.input("x", DType::kFloat32, std::move(shape));
  std::map<std::string, Attribute> attrs;
  if (axis) attrs["axis"] = Attribute::make_int(*axis);
  b.output(b.node(op, {x}, attrs, "norm"));
  return built(b);
}

TEST(OpsetSoftmax, LastAxisConvertsExactlyWithoutHelperNodes) {
  for (const char* op : {"Softmax", "LogSoftmax", "Hardmax"}) {
    SCOPED_TRACE(op);
    Model m = softmax_model(op, 11, -1, {2, 3, 4});
    test::expect_conversions_keep_outputs(m, {13, 17, 11, 9}, {{"x", test::ramp({2, 3, 4})}});
    Model up = test::converted(m, 13);
    EXPECT_EQ(up.graph.nodes.size(), 1u);
  }
}

TEST(OpsetSoftmax, CoercedAxisGetsFlattenAndReshapeGoingUp) {
  for (const char* op : {"Softmax", "LogSoftmax", "Hardmax"}) {
    SCOPED_TRACE(op);
    Model m = softmax_model(op, 11, std::nullopt, {2, 3, 4});  // default axis 1: rows of 3*4
    test::expect_conversions_keep_outputs(m, {13, 17}, {{"x", test::ramp({2, 3, 4})}});
    Model up = test::converted(m, 13);
    EXPECT_EQ(test::count_op(up, "Flatten"), 1);
    EXPECT_EQ(test::count_op(up, "Reshape"), 1);
  }
}

TEST(OpsetSoftmax, CoercionWorksWithSymbolicDims) {
  Model m = softmax_model("Softmax", 12, 1, {Dim::symbolic("N"), 3, Dim::symbolic("W")});
  test::expect_conversions_keep_outputs(m, {13}, {{"x", test::ramp({2, 3, 5})}});
}

TEST(OpsetSoftmax, SingleInnerAxisGetsTransposesGoingDown) {
  for (const char* op : {"Softmax", "LogSoftmax", "Hardmax"}) {
    SCOPED_TRACE(op);
    Model m = softmax_model(op, 13, 1, {2, 3, 4});
    test::expect_conversions_keep_outputs(m, {12, 11, 9, 13}, {{"x", test::ramp({2, 3, 4})}});
    Model down = test::converted(m, 12);
    EXPECT_EQ(test::count_op(down, "Transpose"), 2);
  }
}

TEST(OpsetSoftmax, InnerAxisOfUnknownRankFailsGoingDown) {
  GraphBuilder b("unknown_rank", 13);
  auto x = b.input("x", DType::kFloat32, {2, 3, 4});
  auto y = b.node("Reshape", {x, b.input("shape", DType::kInt64, {Dim::symbolic("R")})}, {}, "reshape");
  b.output(b.node("Softmax", {y}, {{"axis", Attribute::make_int(1)}}, "sm"));
  test::expect_conversion_fails(built(b), 12, {"'sm' (Softmax)", "unknown rank"});
}

}  // namespace
}  // namespace ew
