// One XNNPACK convolution node (regular, grouped or depthwise) from the
// parameters the float and quantized Conv lowerings both compute.
#pragma once

#include <xnnpack.h>

namespace ew {

// P has: geo (WindowGeometry: pads, strides, dilations), kh, kw, cin, cout, group, depthwise.
template <typename P>
xnn_status define_xnn_convolution(xnn_subgraph_t g, const P& p, float lo, float hi, uint32_t in, uint32_t filter,
                                  uint32_t bias, uint32_t out) {
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
