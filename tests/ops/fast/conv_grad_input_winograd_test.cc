// ConvGradInput's Winograd kernel against the reference ConvGradInput (the
// oracle): pads 0 to 2 (asymmetric and auto_pad), odd sizes and channel tails,
// batches, threads; and the cases it leaves to other kernels.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "fast_test_util.h"
#include "ops/grad/grad_domain.h"

namespace ew::test {
namespace {

using Attrs = std::map<std::string, Attribute>;

struct Geometry {
  int64_t n, c, m, h, w;
  std::vector<int64_t> pads;  // empty: none
  std::string auto_pad;       // "" for NOTSET
};

Shape forward_output(const Geometry& g) {
  if (g.auto_pad == "SAME_UPPER" || g.auto_pad == "SAME_LOWER") return {g.n, g.m, g.h, g.w};
  const std::vector<int64_t> p = g.pads.empty() ? std::vector<int64_t>(4, 0) : g.pads;
  return {g.n, g.m, g.h + p[0] + p[2] - 2, g.w + p[1] + p[3] - 2};
}

NodeCase grad_case(const Geometry& g, uint32_t seed) {
  NodeCase c;
  c.op_type = "ConvGradInput";
  c.domain = kGradDomain;
  c.opset = 1;
  c.inputs = {random_f32(forward_output(g), seed), random_f32({g.m, g.c, 3, 3}, seed + 1, -0.3f, 0.3f),
              random_f32({g.n, g.c, g.h, g.w}, seed + 2)};
  if (!g.pads.empty()) c.attributes["pads"] = Attribute::make_ints(g.pads);
  if (!g.auto_pad.empty()) c.attributes["auto_pad"] = Attribute::make_string(g.auto_pad);
  return c;
}

// Max |a - b| over max |ref|, as the Winograd forward tests measure it.
double relative_error(const Tensor& ref, const Tensor& got) {
  double err = 0, mag = 1e-30;
  for (int64_t i = 0; i < ref.numel(); ++i) {
    err = std::max(err, std::fabs(double(ref.data<float>()[i]) - got.data<float>()[i]));
    mag = std::max(mag, std::fabs(double(ref.data<float>()[i])));
  }
  return err / mag;
}

class ConvGradInputWinograd : public testing::TestWithParam<Geometry> {};

TEST_P(ConvGradInputWinograd, MatchesReference) {
  ThreeRuns r;
  run_three(grad_case(GetParam(), 3), "winograd_f4x3", &r);
  if (HasFatalFailure()) return;
  ASSERT_EQ(r.ref[0].shape(), r.fast[0].shape());
  EXPECT_LT(relative_error(r.ref[0], r.fast[0]), 1e-4);
  expect_close(r.fast[0], r.threaded[0], 0, 0, "2 threads vs none");
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, ConvGradInputWinograd,
    testing::Values(Geometry{1, 16, 16, 8, 8, {1, 1, 1, 1}, ""},      // same padding
                    Geometry{2, 19, 17, 9, 7, {}, ""},                // no padding: a full correlation
                    Geometry{1, 24, 20, 6, 11, {2, 2, 2, 2}, ""},     // pads of 2
                    Geometry{3, 16, 32, 5, 8, {0, 1, 2, 0}, ""},      // asymmetric pads
                    Geometry{2, 32, 16, 13, 6, {}, "SAME_LOWER"},     // auto_pad
                    Geometry{4, 32, 32, 28, 28, {1, 1, 1, 1}, ""},    // ResNet-like, split by tiles
                    Geometry{2, 128, 128, 7, 7, {1, 1, 1, 1}, ""}));  // split by channels

TEST(ConvGradInputWinogradCases, DeclinesWhatItDoesNotCompute) {
  const Geometry base{1, 16, 16, 8, 8, {1, 1, 1, 1}, ""};
  EXPECT_FALSE(fast_declines(grad_case(base, 1), "winograd_f4x3"));
  {
    NodeCase c = grad_case(base, 1);  // stride 2
    c.attributes["strides"] = Attribute::make_ints({2, 2});
    c.inputs[0] = random_f32({1, 16, 4, 4}, 1);
    EXPECT_TRUE(fast_declines(c, "winograd_f4x3"));
  }
  {
    NodeCase c = grad_case(base, 1);  // dilation 2
    c.attributes["dilations"] = Attribute::make_ints({2, 2});
    c.inputs[0] = random_f32({1, 16, 6, 6}, 1);
    EXPECT_TRUE(fast_declines(c, "winograd_f4x3"));
  }
  {
    NodeCase c = grad_case(base, 1);  // groups
    c.attributes["group"] = Attribute::make_int(2);
    c.inputs[1] = random_f32({16, 8, 3, 3}, 1);
    EXPECT_TRUE(fast_declines(c, "winograd_f4x3"));
  }
  {
    NodeCase c = grad_case(Geometry{1, 16, 16, 8, 8, {3, 3, 3, 3}, ""}, 1);  // pads beyond 2
    EXPECT_TRUE(fast_declines(c, "winograd_f4x3"));
  }
  // Few channels: direct convolution is faster.
  EXPECT_TRUE(fast_declines(grad_case(Geometry{1, 4, 16, 8, 8, {1, 1, 1, 1}, ""}, 1), "winograd_f4x3"));
}

}  // namespace
}  // namespace ew::test
