#include "ops/quant/conv_geometry.h"

#include <algorithm>
#include <string>

namespace ew::quant {
namespace {

constexpr int64_t kMaxWindowAttr = int64_t{1} << 24;  // bounds attribute values so sizes never overflow

Status check_attr(const std::vector<int64_t>& v, size_t n, int64_t min, const char* name) {
  if (v.size() != n)
    return invalid_argument(std::string(name) + " has " + std::to_string(v.size()) + " values, expected " +
                            std::to_string(n));
  for (int64_t x : v)
    if (x < min || x > kMaxWindowAttr) return invalid_argument(std::string(name) + " value " + std::to_string(x) + " out of range");
  return Status::ok();
}

// Output size and resolved pads of one spatial dim.
Status resolve_dim(const std::string& auto_pad, bool ceil_mode, int64_t in, int64_t k, int64_t s, int64_t d,
                   int64_t& pad_begin, int64_t& pad_end, int64_t& out) {
  const int64_t window = (k - 1) * d + 1;
  if (auto_pad == "VALID") {
    pad_begin = pad_end = 0;
    if (in >= 0) out = in < window ? 0 : (in - window) / s + 1;
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    if (in < 0) return Status::ok();
    out = (in + s - 1) / s;
    const int64_t total = std::max<int64_t>(0, (out - 1) * s + window - in);
    pad_begin = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
    pad_end = total - pad_begin;
  } else if (auto_pad == "NOTSET" || auto_pad.empty()) {
    if (in < 0) return Status::ok();
    const int64_t span = in + pad_begin + pad_end - window;
    if (span < 0) {
      out = 0;
    } else {
      out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
      if (ceil_mode && (out - 1) * s >= in + pad_begin) --out;  // last window must start inside
    }
  } else {
    return invalid_argument("unknown auto_pad '" + auto_pad + "'");
  }
  if (in >= 0 && out <= 0) return invalid_argument("output spatial size is not positive (input " + std::to_string(in) + ")");
  return Status::ok();
}

}  // namespace

Result<ConvGeometry> resolve_conv_geometry(const Node& node, const std::vector<int64_t>& in,
                                           const std::vector<int64_t>& kernel, bool ceil_mode) {
  const size_t n = in.size();
  ConvGeometry g;
  g.kernel = node.attr_ints("kernel_shape", kernel);
  if (g.kernel.size() != n) return invalid_argument("kernel_shape must have " + std::to_string(n) + " values");
  for (size_t i = 0; i < n && i < kernel.size(); ++i)
    if (kernel[i] >= 0 && g.kernel[i] != kernel[i]) return invalid_argument("kernel_shape disagrees with the weight shape");
  for (int64_t k : g.kernel)
    if (k < 0) return invalid_argument("kernel size unknown; kernel_shape is required");
  EW_RETURN_IF_ERROR(check_attr(g.kernel, n, 1, "kernel_shape"));
  g.strides = node.attr_ints("strides", std::vector<int64_t>(n, 1));
  EW_RETURN_IF_ERROR(check_attr(g.strides, n, 1, "strides"));
  g.dilations = node.attr_ints("dilations", std::vector<int64_t>(n, 1));
  EW_RETURN_IF_ERROR(check_attr(g.dilations, n, 1, "dilations"));
  g.pads = node.attr_ints("pads", std::vector<int64_t>(2 * n, 0));
  EW_RETURN_IF_ERROR(check_attr(g.pads, 2 * n, 0, "pads"));
  const std::string auto_pad = node.attr_string("auto_pad", "NOTSET");
  g.out.assign(n, -1);
  for (size_t i = 0; i < n; ++i)
    EW_RETURN_IF_ERROR(resolve_dim(auto_pad, ceil_mode, in[i], g.kernel[i], g.strides[i], g.dilations[i], g.pads[i],
                                   g.pads[n + i], g.out[i]));
  return g;
}

std::vector<Dim> conv_output_dims(const Dim& batch, const Dim& channels, const ConvGeometry& g) {
  std::vector<Dim> dims{batch, channels};
  for (int64_t o : g.out) dims.push_back(o >= 0 ? Dim(o) : Dim());
  return dims;
}

std::vector<int64_t> known_sizes(const std::vector<Dim>& dims, size_t from) {
  std::vector<int64_t> out;
  for (size_t i = from; i < dims.size(); ++i) out.push_back(dims[i].known() ? dims[i].value : -1);
  return out;
}

}  // namespace ew::quant
