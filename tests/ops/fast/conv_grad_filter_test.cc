// The fast ConvGradFilter (sgemm) against the reference kernel on every shared
// convolution geometry and on batches cut into several slots; one and two
// threads give the same bits.
#include <gtest/gtest.h>

#include "conv_test_cases.h"
#include "ops/grad/grad_domain.h"

namespace ew::test {
namespace {

NodeCase filter_case(const ConvGeometry& g, uint32_t seed) {
  NodeCase c;
  c.op_type = "ConvGradFilter";
  c.domain = kGradDomain;
  c.opset = 1;
  c.attributes = g.attributes;
  c.inputs = {random_f32(conv_output_shape(g), seed), random_f32(g.x, seed + 1), random_f32(g.w, seed + 2)};
  return c;
}

TEST(FastConvGradFilter, MatchesReferenceOnEveryGeometry) {
  for (const ConvGeometry& g : conv_geometries()) {
    SCOPED_TRACE(g.label);
    check_fast_matches(filter_case(g, 7), "sgemm", 2e-4, 1e-4);
  }
}

// With the optional bias output: dB = Σ dY over images and positions.
TEST(FastConvGradFilter, BiasGradientMatchesReference) {
  for (const ConvGeometry& g : conv_geometries()) {
    SCOPED_TRACE(g.label);
    NodeCase c = filter_case(g, 13);
    c.num_outputs = 2;
    check_fast_matches(c, "sgemm", 2e-4, 1e-4);
  }
}

TEST(FastConvGradFilter, BatchesOfManyChunks) {
  // 16x16 maps: one image per chunk, 11 chunks in 4 slots; 4x4 maps: 16 images per chunk.
  for (const ConvGeometry& g : {ConvGeometry{"many_chunks", {11, 3, 16, 16}, {4, 3, 3, 3}, {}},
                                ConvGeometry{"wide_chunks", {37, 5, 4, 4}, {6, 5, 1, 1}, {}}}) {
    SCOPED_TRACE(g.label);
    check_fast_matches(filter_case(g, 3), "sgemm", 5e-4, 1e-4);
  }
}

}  // namespace
}  // namespace ew::test
