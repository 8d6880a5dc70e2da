// The geometry of a 2-D convolution and its XNNPACK node (regular, grouped or
// depthwise), shared by the float and the quantized Conv lowerings.
#pragma once

#include <xnnpack.h>

#include "ops/nn/conv_geometry.h"

namespace ew {

struct ConvShape {
  WindowGeometry geo;  // pads resolved
  int64_t group = 1, cin = 0, cout = 0, kh = 0, kw = 0;
  bool depthwise = false;
};

// From the NCHW input shape `x` and the OIHW weight shape `w`.
inline Result<ConvShape> conv_shape(const Node& node, const Shape& x, const Shape& w) {
  ConvShape p;
  if (x.size() != 4 || w.size() != 4) return unsupported("not a 2-D convolution");
  p.group = node.attr_int("group", 1);
  p.cin = x[1];
  p.cout = w[0];
  p.kh = w[2];
  p.kw = w[3];
  if (p.group < 1 || p.cin % p.group != 0 || p.cout % p.group != 0 || w[1] != p.cin / p.group)
    return unsupported("inconsistent groups");
  EW_ASSIGN_OR_RETURN(p.geo, read_window_geometry(node, {p.kh, p.kw}));
  for (size_t i = 0; i < 2; ++i) EW_RETURN_IF_ERROR(window_output_size(p.geo, i, x[2 + i]).status());
  p.depthwise = p.group > 1 && p.group == p.cin;
  return p;
}

inline xnn_status define_xnn_convolution(xnn_subgraph_t g, const ConvShape& p, float lo, float hi, uint32_t in,
                                         uint32_t filter, uint32_t bias, uint32_t out) {
  const auto& w = p.geo;
  if (p.depthwise)
    return xnn_define_depthwise_convolution_2d(g, w.pads[0], w.pads[3], w.pads[2], w.pads[1], p.kh, p.kw,
                                               w.strides[0], w.strides[1], w.dilations[0], w.dilations[1],
                                               p.cout / p.cin, p.cin, lo, hi, in, filter, bias, out, 0);
  return xnn_define_convolution_2d(g, w.pads[0], w.pads[3], w.pads[2], w.pads[1], p.kh, p.kw, w.strides[0],
                                   w.strides[1], w.dilations[0], w.dilations[1], p.group, p.cin / p.group,
                                   p.cout / p.group, lo, hi, in, filter, bias, out, 0);
}

}  // namespace ew
