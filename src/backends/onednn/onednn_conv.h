// The geometry of a 1-D to 3-D convolution as oneDNN describes it, shared by
// the float and the int8 convolution lowerings.
#pragma once

#include <dnnl.hpp>

#include "ops/nn/conv_geometry.h"

namespace ew {

struct OnednnConvGeometry {
  dnnl::memory::dims strides, dilates, pad_l, pad_r;  // oneDNN dilation: 0 = dense
  int64_t group = 1;
};

// From the NCHW input shape `x` and the OIHW weight shape `w`.
inline Result<OnednnConvGeometry> onednn_conv_geometry(const Node& node, const Shape& x, const Shape& w) {
  if (x.size() < 3 || x.size() > 5 || w.size() != x.size()) return unsupported("not a 1-D, 2-D or 3-D convolution");
  OnednnConvGeometry c;
  c.group = node.attr_int("group", 1);
  if (c.group < 1 || x[1] % c.group != 0 || w[0] % c.group != 0 || w[1] != x[1] / c.group)
    return unsupported("inconsistent groups");
  std::vector<int64_t> kernel(w.begin() + 2, w.end());
  if (node.has_attr("kernel_shape") && node.attr_ints("kernel_shape") != kernel) return unsupported("kernel_shape");
  EW_ASSIGN_OR_RETURN(WindowGeometry g, read_window_geometry(node, kernel));
  const size_t n = x.size() - 2;
  for (size_t i = 0; i < n; ++i) {
    EW_RETURN_IF_ERROR(window_output_size(g, i, x[2 + i]).status());
    c.strides.push_back(g.strides[i]);
    c.dilates.push_back(g.dilations[i] - 1);
    c.pad_l.push_back(g.pads[i]);
    c.pad_r.push_back(g.pads[i + n]);
  }
  return c;
}

// Weights as oneDNN wants them: OIHW, or G x O/G x I/G x HW when grouped (the same bytes).
inline Shape onednn_weight_dims(const Shape& w, int64_t group) {
  if (group == 1) return w;
  Shape g{group, w[0] / group};
  g.insert(g.end(), w.begin() + 1, w.end());
  return g;
}

}  // namespace ew
