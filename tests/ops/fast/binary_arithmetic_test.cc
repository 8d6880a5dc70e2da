#include <gtest/gtest.h>

#include "fast_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(FastBinary, MatchesReferenceWithBroadcasting) {
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{7}, {7}},           {{1, 32, 128}, {128}},     {{1, 4, 32, 32}, {1, 1, 1, 32}},
      {{3, 5}, {}},         {{}, {3, 5}},              {{2, 1, 4}, {3, 1}},
      {{1, 1}, {1}},        {{5, 1, 7}, {1, 6, 1}},    {{2, 3, 0}, {3, 1}},
      {{1, 3, 17, 19}, {1, 3, 1, 1}}, {{64, 65}, {64, 65}}, {{300, 130}, {130}},
  };
  for (const std::string op : {"Add", "Sub", "Mul", "Div"})
    for (const auto& [a, b] : cases) {
      SCOPED_TRACE(op + " " + shape_to_string(a) + " " + shape_to_string(b));
      NodeCase c;
      c.op_type = op;
      c.opset = 14;
      c.inputs = {random_f32(a, 21), random_f32(b, 22, 0.5f, 2.0f)};
      check_fast_matches(c, "binary_loops", 0, 1e-7);
    }
}

TEST(FastBinary, DeclinesIntegers) {
  NodeCase c;
  c.op_type = "Add";
  c.opset = 14;
  c.inputs = {make_i64({2}, {1, 2}), make_i64({2}, {3, 4})};
  EXPECT_TRUE(fast_declines(c, "binary_loops"));
}

}  // namespace ew
