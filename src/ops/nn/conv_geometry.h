// Window geometry shared by Conv, ConvTranspose and the pooling ops: reading
// kernel_shape/strides/dilations/pads/auto_pad/ceil_mode, resolving auto_pad
// into explicit pads, and the output extent of each spatial axis.
//
// Attribute values come from untrusted models: every value is range-checked
// (positive kernel/stride/dilation, non-negative pads, all below kMaxWindowAttr)
// so the size arithmetic below cannot overflow int64.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "ops/op.h"

namespace ew {

inline constexpr int64_t kMaxWindowAttr = int64_t{1} << 30;

struct WindowGeometry {
  std::vector<int64_t> kernel;     // one per spatial axis
  std::vector<int64_t> strides;
  std::vector<int64_t> dilations;
  std::vector<int64_t> pads;       // begins of every axis, then ends
  std::string auto_pad = "NOTSET";
  bool ceil_mode = false;

  size_t rank() const { return kernel.size(); }
  int64_t effective_kernel(size_t i) const { return (kernel[i] - 1) * dilations[i] + 1; }
  bool same_padding() const { return auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER"; }
};

namespace window_detail {

inline Status read_axis_list(const Node& node, const char* name, size_t n, int64_t fallback, int64_t min,
                             std::vector<int64_t>* out) {
  *out = node.attr_ints(name, std::vector<int64_t>(n, fallback));
  if (out->size() != n)
    return invalid_argument(std::string(name) + " has " + std::to_string(out->size()) + " values, expected " +
                            std::to_string(n));
  for (int64_t v : *out)
    if (v < min || v > kMaxWindowAttr) return invalid_argument(std::string(name) + " value " + std::to_string(v) + " is out of range");
  return Status::ok();
}

}  // namespace window_detail

// Reads the window attributes for `kernel` (already known, one value per spatial axis).
inline Result<WindowGeometry> read_window_geometry(const Node& node, std::vector<int64_t> kernel) {
  WindowGeometry g;
  const size_t n = kernel.size();
  for (int64_t k : kernel)
    if (k < 1 || k > kMaxWindowAttr) return invalid_argument("kernel size " + std::to_string(k) + " is out of range");
  g.kernel = std::move(kernel);
  EW_RETURN_IF_ERROR(window_detail::read_axis_list(node, "strides", n, 1, 1, &g.strides));
  EW_RETURN_IF_ERROR(window_detail::read_axis_list(node, "dilations", n, 1, 1, &g.dilations));
  EW_RETURN_IF_ERROR(window_detail::read_axis_list(node, "pads", 2 * n, 0, 0, &g.pads));
  g.auto_pad = node.attr_string("auto_pad", "NOTSET");
  if (g.auto_pad != "NOTSET" && g.auto_pad != "VALID" && !g.same_padding())
    return invalid_argument("unknown auto_pad '" + g.auto_pad + "'");
  int64_t ceil_mode = node.attr_int("ceil_mode", 0);
  if (ceil_mode != 0 && ceil_mode != 1) return invalid_argument("ceil_mode must be 0 or 1");
  g.ceil_mode = ceil_mode == 1;
  return g;
}

// Output extent of spatial axis i for an input extent `in` (a forward window:
// Conv and pooling). Resolves auto_pad into g.pads. Returns -1 when `in` is
// unknown (< 0) and the output therefore is too.
inline Result<int64_t> window_output_size(WindowGeometry& g, size_t i, int64_t in) {
  const size_t n = g.rank();
  const int64_t k = g.effective_kernel(i);
  const int64_t s = g.strides[i];
  if (g.auto_pad == "VALID") g.pads[i] = g.pads[i + n] = 0;
  if (in < 0) return int64_t{-1};
  if (g.same_padding()) {
    int64_t out = (in + s - 1) / s;
    int64_t total = std::max<int64_t>(0, (out - 1) * s + k - in);
    int64_t small = total / 2;
    g.pads[i] = g.auto_pad == "SAME_UPPER" ? small : total - small;
    g.pads[i + n] = total - g.pads[i];
    return out;
  }
  const int64_t span = in + g.pads[i] + g.pads[i + n] - k;
  if (span < 0)
    return invalid_argument("window of extent " + std::to_string(k) + " is larger than padded input extent " +
                            std::to_string(in + g.pads[i] + g.pads[i + n]));
  int64_t out = (g.ceil_mode ? (span + s - 1) / s : span / s) + 1;
  // With ceil_mode the last window must start inside the input or its begin padding.
  if (g.ceil_mode && (out - 1) * s >= in + g.pads[i]) --out;
  return out;
}

// Output dims for spatial input dims (unknown stays unknown), resolving pads.
inline Result<std::vector<Dim>> window_output_dims(WindowGeometry& g, const std::vector<Dim>& spatial) {
  std::vector<Dim> out;
  for (size_t i = 0; i < g.rank(); ++i) {
    EW_ASSIGN_OR_RETURN(int64_t o, window_output_size(g, i, spatial[i].known() ? spatial[i].value : -1));
    out.push_back(o >= 0 ? Dim(o) : Dim());
  }
  return out;
}

// The geometry padded to exactly three spatial axes (leading unit axes), so
// kernels for 1-D, 2-D and 3-D windows share one loop nest.
struct Window3 {
  int64_t in[3], out[3], k[3], s[3], d[3], pb[3], pe[3];
};

inline Window3 to_window3(const WindowGeometry& g, const Shape& in_spatial, const Shape& out_spatial) {
  Window3 w;
  const size_t n = g.rank();
  const size_t lead = 3 - n;
  for (size_t a = 0; a < 3; ++a) {
    if (a < lead) {
      w.in[a] = w.out[a] = w.k[a] = w.s[a] = w.d[a] = 1;
      w.pb[a] = w.pe[a] = 0;
      continue;
    }
    size_t i = a - lead;
    w.in[a] = in_spatial[i];
    w.out[a] = out_spatial[i];
    w.k[a] = g.kernel[i];
    w.s[a] = g.strides[i];
    w.d[a] = g.dilations[i];
    w.pb[a] = g.pads[i];
    w.pe[a] = g.pads[i + n];
  }
  return w;
}

// Kernel spatial shape of a Conv/ConvTranspose: the kernel_shape attribute,
// else W's dims after the first two; empty when unknown or not of rank n.
inline std::vector<int64_t> kernel_spatial_shape(const Node& node, const ValueType& w, size_t n) {
  if (node.has_attr("kernel_shape")) return node.attr_ints("kernel_shape");
  std::vector<int64_t> k;
  for (size_t i = 2; i < w.dims.size(); ++i) {
    if (!w.dims[i].known()) return {};
    k.push_back(w.dims[i].value);
  }
  return k.size() == n ? k : std::vector<int64_t>{};
}

}  // namespace ew
