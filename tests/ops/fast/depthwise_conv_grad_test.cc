// The depthwise ConvGradInput and ConvGradFilter kernels against the
// reference kernels on every depthwise geometry; one and two threads.
#include <gtest/gtest.h>

#include "conv_test_cases.h"
#include "ops/grad/grad_domain.h"

namespace ew::test {
namespace {

NodeCase grad_case(const std::string& op, const ConvGeometry& g, uint32_t seed) {
  NodeCase c;
  c.op_type = op;
  c.domain = kGradDomain;
  c.opset = 1;
  c.attributes = g.attributes;
  Tensor dy = random_f32(conv_output_shape(g), seed), x = random_f32(g.x, seed + 1), w = random_f32(g.w, seed + 2);
  c.inputs = op == "ConvGradInput" ? std::vector<Tensor>{dy, w, x} : std::vector<Tensor>{dy, x, w};
  return c;
}

TEST(DepthwiseConvGrad, InputGradientMatchesReference) {
  for (const ConvGeometry& g : depthwise_geometries()) {
    SCOPED_TRACE(g.label);
    check_fast_matches(grad_case("ConvGradInput", g, 3), "depthwise", 1e-5, 1e-5);
  }
}

TEST(DepthwiseConvGrad, FilterGradientMatchesReference) {
  for (const ConvGeometry& g : depthwise_geometries()) {
    SCOPED_TRACE(g.label);
    check_fast_matches(grad_case("ConvGradFilter", g, 5), "depthwise", 1e-4, 1e-5);
  }
}

TEST(DepthwiseConvGrad, BiasGradientMatchesReference) {
  for (const ConvGeometry& g : depthwise_geometries()) {
    SCOPED_TRACE(g.label);
    NodeCase c = grad_case("ConvGradFilter", g, 9);
    c.num_outputs = 2;
    check_fast_matches(c, "depthwise", 1e-4, 1e-5);
  }
}

TEST(DepthwiseConvGrad, LeavesOtherLayersToTheGeneralKernels) {
  for (const ConvGeometry& g : conv_geometries()) {
    const bool depthwise = g.label.rfind("depthwise", 0) == 0;
    EXPECT_EQ(fast_declines(grad_case("ConvGradInput", g, 1), "depthwise"), !depthwise) << g.label;
    EXPECT_EQ(fast_declines(grad_case("ConvGradFilter", g, 1), "depthwise"), !depthwise) << g.label;
  }
}

}  // namespace
}  // namespace ew::test
