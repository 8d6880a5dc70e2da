// Convolution and pooling window geometry for the quantized ops: reads
// kernel_shape, strides, dilations, pads and auto_pad, and computes output
// spatial sizes (unknown sizes stay -1). Kept local to src/ops/quant/ so this
// group does not depend on the float nn ops.
#pragma once

#include <vector>

#include "ops/op.h"

namespace ew::quant {

struct ConvGeometry {
  std::vector<int64_t> kernel, strides, dilations;
  std::vector<int64_t> pads;  // begins for every spatial dim, then ends
  std::vector<int64_t> out;   // output spatial sizes; -1 when the input size is unknown
};

// `in` holds the input spatial sizes (-1 unknown); `kernel` the kernel sizes
// from the weight shape (-1 unknown), or empty to require kernel_shape.
// ceil_mode applies to pooling. Fails on invalid attribute values.
Result<ConvGeometry> resolve_conv_geometry(const Node& node, const std::vector<int64_t>& in,
                                           const std::vector<int64_t>& kernel, bool ceil_mode = false);

// Static output dims of a conv/pool: [batch, channels, spatial...].
std::vector<Dim> conv_output_dims(const Dim& batch, const Dim& channels, const ConvGeometry& g);

// Known sizes of a dims list (-1 for unknown).
std::vector<int64_t> known_sizes(const std::vector<Dim>& dims, size_t from);

}  // namespace ew::quant
