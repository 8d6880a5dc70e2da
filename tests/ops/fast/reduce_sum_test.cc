// The fast ReduceSum against the reference kernel: Conv bias gradients (axes
// 0, 2, 3), leading, trailing and all axes, keepdims, unit dims, the axes
// attribute of opset 11, sizes on the threaded path; and the patterns and
// run-time axes it leaves to the reference.
#include <gtest/gtest.h>

#include "fast_test_util.h"

namespace ew::test {
namespace {

NodeCase reduce_case(const Shape& shape, const std::vector<int64_t>& axes, int64_t keepdims, int64_t opset = 13) {
  NodeCase c;
  c.op_type = "ReduceSum";
  c.opset = opset;
  c.attributes["keepdims"] = Attribute::make_int(keepdims);
  c.inputs = {random_f32(shape, 5)};
  if (opset >= 13) {
    c.inputs.push_back(Tensor::from_vector<int64_t>({static_cast<int64_t>(axes.size())}, axes).value());
    c.constant = {false, true};
  } else {
    c.attributes["axes"] = Attribute::make_ints(axes);
  }
  return c;
}

TEST(FastReduceSum, MatchesReference) {
  struct Case {
    Shape shape;
    std::vector<int64_t> axes;
    int64_t keepdims;
  };
  const Case cases[] = {
      {{4, 6, 5, 7}, {0, 2, 3}, 0},     {{4, 6, 5, 7}, {0, 2, 3}, 1},     {{4, 6, 5, 7}, {-1, -2}, 0},
      {{4, 6, 5, 7}, {0}, 1},           {{4, 6, 5, 7}, {0, 1, 2, 3}, 0}, {{3, 1, 5, 1, 4}, {0, 3, 4}, 0},
      {{64, 32, 14, 14}, {0, 2, 3}, 0}, {{300, 300}, {0}, 0},           {{2, 3000, 33}, {2}, 1},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(shape_to_string(k.shape));
    check_fast_matches(reduce_case(k.shape, k.axes, k.keepdims), "folded", 1e-5, 1e-5);
  }
  check_fast_matches(reduce_case({5, 4, 3}, {0, 2}, 0, 11), "folded", 1e-5, 1e-5);
}

TEST(FastReduceSum, LeavesOtherPatternsToTheReference) {
  EXPECT_TRUE(fast_declines(reduce_case({2, 3, 4}, {1}, 0), "folded"));        // kept, reduced, kept
  EXPECT_TRUE(fast_declines(reduce_case({2, 3, 4, 5}, {0, 2}, 0), "folded"));  // reduced, kept, reduced, kept
  NodeCase c = reduce_case({4, 6, 5, 7}, {0, 2, 3}, 0);
  c.constant = {false, false};  // axes known only at run time
  EXPECT_TRUE(fast_declines(c, "folded"));
}

}  // namespace
}  // namespace ew::test
