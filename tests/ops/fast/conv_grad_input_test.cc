// The fast ConvGradInput (sgemm) against the reference kernel on every shared
// convolution geometry, one and two threads.
#include <gtest/gtest.h>

#include "conv_test_cases.h"
#include "ops/grad/grad_domain.h"

namespace ew::test {
namespace {

TEST(FastConvGradInput, MatchesReferenceOnEveryGeometry) {
  for (const ConvGeometry& g : conv_geometries()) {
    SCOPED_TRACE(g.label);
    NodeCase c;
    c.op_type = "ConvGradInput";
    c.domain = kGradDomain;
    c.opset = 1;
    c.attributes = g.attributes;
    c.inputs = {random_f32(conv_output_shape(g), 4), random_f32(g.w, 5), random_f32(g.x, 6)};
    check_fast_matches(c, "sgemm", 1e-4, 1e-4);
  }
}

}  // namespace
}  // namespace ew::test
