// The fast Sum against the reference kernel, bit for bit: 2, 3 and 5 inputs,
// small and threaded sizes; broadcasting Sums stay on the reference.
#include <gtest/gtest.h>

#include "fast_test_util.h"

namespace ew::test {
namespace {

NodeCase sum_case(const std::vector<Shape>& shapes) {
  NodeCase c;
  c.op_type = "Sum";
  c.opset = 13;
  for (size_t i = 0; i < shapes.size(); ++i) c.inputs.push_back(random_f32(shapes[i], 10 + static_cast<uint32_t>(i)));
  return c;
}

TEST(FastSum, MatchesReferenceBitForBit) {
  for (size_t inputs : {2, 3, 5})
    for (const Shape& s : {Shape{3, 7, 5}, Shape{4, 64, 28, 28}}) {
      SCOPED_TRACE(std::to_string(inputs) + " x " + shape_to_string(s));
      check_fast_matches(sum_case(std::vector<Shape>(inputs, s)), "vectorized", 0, 0);
    }
}

TEST(FastSum, LeavesBroadcastingToTheReference) {
  EXPECT_TRUE(fast_declines(sum_case({{3, 4}, {4}}), "vectorized"));
  EXPECT_TRUE(fast_declines(sum_case({{3, 4}}), "vectorized"));
}

}  // namespace
}  // namespace ew::test
