#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "fast_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(FastErf, AccurateOverTheWholeRange) {
  const int64_t n = 200001;
  std::vector<float> xs(n);
  for (int64_t i = 0; i < n; ++i) xs[i] = -10.0f + 20.0f * float(i) / float(n - 1);
  NodeCase c;
  c.op_type = "Erf";
  c.opset = 13;
  c.inputs = {make_f32({n}, xs)};
  check_fast_matches(c, "erf_vec", 1.5e-7, 0);
}

TEST(FastErf, OddSizesAndSpecialValues) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  NodeCase c;
  c.op_type = "Erf";
  c.opset = 13;
  c.inputs = {make_f32({11}, {0.0f, -0.0f, inf, -inf, nan, 0.5f, -0.5f, 1e-30f, 3.9f, -4.1f, 0.49999f})};
  check_fast_matches(c, "erf_vec", 1.5e-7, 0);
  c.inputs = {random_f32({3, 1, 5}, 2, -3.0f, 3.0f)};
  check_fast_matches(c, "erf_vec", 1.5e-7, 0);
}

TEST(FastGelu, MatchesReference) {
  NodeCase c;
  c.op_type = "Gelu";
  c.opset = 20;
  c.inputs = {random_f32({2, 32, 37}, 5, -6.0f, 6.0f)};
  check_fast_matches(c, "gelu_erf", 1e-6, 1e-6);
  c.attributes["approximate"] = Attribute::make_string("tanh");
  EXPECT_TRUE(fast_declines(c, "gelu_erf"));
}

TEST(FastGelu, MicrosoftDomain) {
  NodeCase c;
  c.op_type = "Gelu";
  c.domain = "com.microsoft";
  c.opset = 1;
  c.inputs = {random_f32({3, 77}, 6, -5.0f, 5.0f)};
  check_fast_matches(c, "gelu_erf", 1e-6, 1e-6);
}

}  // namespace ew
