// The depthwise Conv / FusedConv kernel against the reference kernels on
// strided, dilated, asymmetric, SAME, unread-padding, 1-D and MobileNet-sized
// depthwise layers; one and two threads; the layers it leaves to others.
#include <gtest/gtest.h>

#include "conv_test_cases.h"

namespace ew::test {
namespace {

TEST(DepthwiseConv, MatchesReference) {
  for (const ConvGeometry& g : depthwise_geometries())
    for (bool bias : {false, true}) {
      SCOPED_TRACE(g.label + (bias ? " with bias" : ""));
      check_fast_matches(conv_case(g, bias, 21), "depthwise", 1e-5, 1e-5);
    }
}

TEST(DepthwiseConv, FusedConvAddsZThenActivation) {
  for (const ConvGeometry& g : depthwise_geometries()) {
    SCOPED_TRACE(g.label);
    NodeCase c = conv_case(g, true, 4);
    c.op_type = "FusedConv";
    c.domain = "com.microsoft";
    c.opset = 1;
    c.attributes["activation"] = Attribute::make_string("Relu");
    c.inputs.push_back(random_f32(conv_output_shape(g), 8));
    check_fast_matches(c, "depthwise", 1e-5, 1e-5);
  }
}

// Without Z the kernel applies bias and Relu/Clip as it stores.
TEST(DepthwiseConv, FusedConvActivationWithoutZ) {
  for (const ConvGeometry& g : depthwise_geometries())
    for (const char* act : {"Relu", "Clip", "Tanh"}) {
      SCOPED_TRACE(g.label + " " + act);
      NodeCase c = conv_case(g, true, 7);
      c.op_type = "FusedConv";
      c.domain = "com.microsoft";
      c.opset = 1;
      c.attributes["activation"] = Attribute::make_string(act);
      if (std::string(act) == "Clip") c.attributes["activation_params"] = Attribute::make_floats({0.0f, 0.6f});
      check_fast_matches(c, "depthwise", 1e-5, 1e-5);
    }
}

TEST(DepthwiseConv, TakesOnlyDepthwiseLayersWithWeightsAsInputs) {
  for (const ConvGeometry& g : conv_geometries()) {
    const bool depthwise = g.label.rfind("depthwise", 0) == 0;
    EXPECT_EQ(fast_declines(conv_case(g, false, 1), "depthwise"), !depthwise) << g.label;
  }
  NodeCase c = conv_case(depthwise_geometries()[0], true, 1);
  c.constant = {false, true, false};
  EXPECT_TRUE(fast_declines(c, "depthwise"));
  // A channel multiplier of 2 (maps = 2 x channels) is not depthwise here.
  ConvGeometry m{"multiplier", {1, 3, 6, 6}, {6, 1, 3, 3}, {{"group", Attribute::make_int(3)}}};
  EXPECT_TRUE(fast_declines(conv_case(m, false, 1), "depthwise"));
}

// The registry offers depthwise layers to this kernel before conv_sgemm.
TEST(DepthwiseConv, OfferedBeforeTheGeneralKernel) {
  auto defs = FastKernels::find("", "Conv", 11);
  ASSERT_FALSE(defs.empty());
  size_t dw = defs.size(), gemm = defs.size();
  for (size_t i = 0; i < defs.size(); ++i) {
    if (defs[i]->name == "depthwise") dw = i;
    if (defs[i]->name == "conv_sgemm") gemm = i;
  }
  EXPECT_LT(dw, gemm);
}

}  // namespace
}  // namespace ew::test
