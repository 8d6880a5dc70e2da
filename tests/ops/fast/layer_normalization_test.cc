#include <gtest/gtest.h>

#include "fast_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {

NodeCase layer_norm(const Shape& x, int64_t axis, const Shape& param, bool bias, int outputs, float eps = 1e-5f) {
  NodeCase c;
  c.op_type = "LayerNormalization";
  c.inputs = {random_f32(x, 11, -3.0f, 5.0f), random_f32(param, 12)};
  if (bias) c.inputs.push_back(random_f32(param, 13));
  c.attributes = {{"axis", Attribute::make_int(axis)}, {"epsilon", Attribute::make_float(eps)}};
  c.num_outputs = outputs;
  c.constant = {false, true, true};
  return c;
}

}  // namespace

TEST(FastLayerNorm, MatchesReference) {
  check_fast_matches(layer_norm({1, 32, 128}, -1, {128}, true, 1), "layer_norm_rows", 1e-5, 1e-5);
  check_fast_matches(layer_norm({3, 7}, -1, {7}, true, 1), "layer_norm_rows", 1e-5, 1e-5);
  check_fast_matches(layer_norm({2, 5, 13}, 1, {5, 13}, false, 1), "layer_norm_rows", 1e-5, 1e-5);
  check_fast_matches(layer_norm({4, 1}, -1, {1}, true, 1, 1e-3f), "layer_norm_rows", 1e-5, 1e-5);
  check_fast_matches(layer_norm({300, 33}, -1, {33}, true, 1), "layer_norm_rows", 1e-5, 1e-5);
  check_fast_matches(layer_norm({2, 3, 4}, 0, {2, 3, 4}, true, 1), "layer_norm_rows", 1e-5, 1e-5);
}

// Below opset 17 (a LayerNorm fused from primitive ops by layer_norm_fusion, or
// an ONNX Runtime-style export) the fast kernel runs as well, like the reference.
TEST(FastLayerNorm, RunsBelowOpset17) {
  NodeCase c = layer_norm({1, 32, 128}, -1, {128}, true, 1);
  c.opset = 14;
  check_fast_matches(c, "layer_norm_rows", 1e-5, 1e-5);
}

TEST(FastLayerNorm, StashOutputs) {
  check_fast_matches(layer_norm({6, 40}, -1, {40}, true, 3), "layer_norm_rows", 1e-5, 1e-5);
}

TEST(FastLayerNorm, DeclinesBroadcastScale) {
  EXPECT_TRUE(fast_declines(layer_norm({2, 5, 13}, 1, {13}, true, 1), "layer_norm_rows"));
}

}  // namespace ew
