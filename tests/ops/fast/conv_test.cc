// The fast Conv / FusedConv for weights that are inputs (conv_sgemm) against
// the reference kernels on every shared geometry, with and without bias, Z and
// activation; one and two threads; and the constant weights it leaves to others.
#include <gtest/gtest.h>

#include "conv_test_cases.h"

namespace ew::test {
namespace {

TEST(FastConv, MatchesReferenceOnEveryGeometry) {
  for (const ConvGeometry& g : conv_geometries())
    for (bool bias : {false, true}) {
      SCOPED_TRACE(g.label + (bias ? " with bias" : ""));
      check_fast_matches(conv_case(g, bias, 11), "conv_sgemm", 1e-4, 1e-4);
    }
}

TEST(FastConv, FusedConvAddsZThenActivation) {
  for (const ConvGeometry& g : conv_geometries()) {
    SCOPED_TRACE(g.label);
    NodeCase c = conv_case(g, true, 5);
    c.op_type = "FusedConv";
    c.domain = "com.microsoft";
    c.opset = 1;
    c.attributes["activation"] = Attribute::make_string("Clip");
    c.attributes["activation_params"] = Attribute::make_floats({-0.5f, 0.7f});
    c.inputs.push_back(random_f32(conv_output_shape(g), 9));
    check_fast_matches(c, "conv_sgemm", 1e-4, 1e-4);
  }
}

// Without Z, bias and Relu/Clip are applied by the GEMM as it writes Y.
TEST(FastConv, FusedConvActivationWithoutZ) {
  for (const ConvGeometry& g : conv_geometries())
    for (const char* act : {"Relu", "Clip", "Sigmoid"}) {
      SCOPED_TRACE(g.label + " " + act);
      NodeCase c = conv_case(g, true, 6);
      c.op_type = "FusedConv";
      c.domain = "com.microsoft";
      c.opset = 1;
      c.attributes["activation"] = Attribute::make_string(act);
      if (std::string(act) == "Clip") c.attributes["activation_params"] = Attribute::make_floats({-0.3f, 0.4f});
      check_fast_matches(c, "conv_sgemm", 1e-4, 1e-4);
    }
}

TEST(FastConv, LeavesConstantWeightsToOtherKernels) {
  NodeCase c = conv_case(conv_geometries()[0], true, 3);
  EXPECT_FALSE(fast_declines(c, "conv_sgemm"));
  c.constant = {false, true, false};
  EXPECT_TRUE(fast_declines(c, "conv_sgemm"));
}

}  // namespace
}  // namespace ew::test
