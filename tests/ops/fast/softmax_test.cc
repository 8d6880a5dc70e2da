#include <gtest/gtest.h>

#include "fast_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {

NodeCase softmax(const std::string& op, const Shape& shape, int64_t opset, const int64_t* axis, float scale = 4.0f) {
  NodeCase c;
  c.op_type = op;
  c.opset = opset;
  c.inputs = {random_f32(shape, 7, -scale, scale)};
  if (axis) c.attributes["axis"] = Attribute::make_int(*axis);
  return c;
}

}  // namespace

TEST(FastSoftmax, LastAxisMatchesReference) {
  const std::vector<Shape> shapes = {{1}, {7}, {3, 8}, {2, 4, 32, 32}, {5, 1, 13}, {3, 129}, {2, 3, 0}, {1, 4, 128, 128}};
  for (const std::string op : {"Softmax", "LogSoftmax"})
    for (const Shape& s : shapes) {
      SCOPED_TRACE(op + " " + shape_to_string(s));
      check_fast_matches(softmax(op, s, 13, nullptr), "softmax_rows", 1e-6, 1e-5);
    }
}

TEST(FastSoftmax, LargeInputsStayFinite) {
  check_fast_matches(softmax("Softmax", {4, 33}, 13, nullptr, 300.0f), "softmax_rows", 1e-6, 1e-5);
}

TEST(FastSoftmax, Opset11CoercesTo2D) {
  const int64_t one = 1, zero = 0, neg = -2;
  check_fast_matches(softmax("Softmax", {2, 3, 5}, 11, &one), "softmax_rows", 1e-6, 1e-5);
  check_fast_matches(softmax("Softmax", {2, 3, 5}, 11, &zero), "softmax_rows", 1e-6, 1e-5);
  check_fast_matches(softmax("Softmax", {2, 3, 5}, 11, &neg), "softmax_rows", 1e-6, 1e-5);
  check_fast_matches(softmax("Softmax", {2, 3, 5}, 11, nullptr), "softmax_rows", 1e-6, 1e-5);
}

TEST(FastSoftmax, TrailingOnesAfterAxisAreStillRows) {
  const int64_t axis = 1;
  check_fast_matches(softmax("Softmax", {3, 9, 1, 1}, 13, &axis), "softmax_rows", 1e-6, 1e-5);
}

TEST(FastSoftmax, DeclinesStridedAxisAndDoubles) {
  const int64_t axis = 1;
  EXPECT_TRUE(fast_declines(softmax("Softmax", {2, 3, 5}, 13, &axis), "softmax_rows"));
  NodeCase c;
  c.op_type = "Softmax";
  c.opset = 13;
  c.inputs = {make<double>({2, 2}, {1, 2, 3, 4})};
  EXPECT_TRUE(fast_declines(c, "softmax_rows"));
}

}  // namespace ew
