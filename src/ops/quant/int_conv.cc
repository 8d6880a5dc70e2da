#include "ops/quant/int_conv.h"

#include <algorithm>
#include <string>

#include "ops/quant/quant_util.h"

namespace ew::quant {

Result<IntConvShape> make_int_conv_shape(const Shape& x, const Shape& w, int64_t group, const ConvGeometry& g) {
  const size_t spatial = g.kernel.size();
  if (spatial > 3) return unsupported("integer convolution supports at most 3 spatial dims");
  if (x.size() != spatial + 2 || w.size() != spatial + 2) return invalid_argument("x and w ranks do not match the kernel");
  IntConvShape p;
  p.batch = x[0];
  p.in_channels = x[1];
  p.out_channels = w[0];
  p.group = group;
  if (group <= 0 || p.in_channels % group != 0 || p.out_channels % group != 0)
    return invalid_argument("group " + std::to_string(group) + " does not divide the channels");
  if (w[1] != p.in_channels / group)
    return invalid_argument("w has " + std::to_string(w[1]) + " input channels, expected " +
                            std::to_string(p.in_channels / group));
  const size_t first = 3 - spatial;  // pad leading spatial dims with size 1
  for (size_t i = 0; i < spatial; ++i) {
    if (w[2 + i] != g.kernel[i]) return invalid_argument("kernel_shape disagrees with the weight shape");
    p.in[first + i] = x[2 + i];
    p.out[first + i] = g.out[i];
    p.kernel[first + i] = g.kernel[i];
    p.stride[first + i] = g.strides[i];
    p.dilation[first + i] = g.dilations[i];
    p.pad[first + i] = g.pads[i];
  }
  return p;
}

}  // namespace ew::quant

namespace ew::quant {

Status infer_int_conv(InferContext& ctx, int x_index, int w_index, DType out) {
  const ValueType& x = ctx.input_type(x_index);
  const ValueType& w = ctx.input_type(w_index);
  if (x.dtype != DType::kUndefined && !is_quant8(x.dtype)) return ctx.error("x must be uint8 or int8");
  if (w.dtype != DType::kUndefined && !is_quant8(w.dtype)) return ctx.error("w must be uint8 or int8");
  if (!x.has_shape || !w.has_shape) {
    ctx.set_output_dtype_only(0, out);
    return Status::ok();
  }
  if (x.dims.size() < 3 || x.dims.size() != w.dims.size())
    return ctx.error("x and w must have the same rank >= 3, got " + x.to_string() + " and " + w.to_string());
  const int64_t group = ctx.node().attr_int("group", 1);
  if (group <= 0) return ctx.error("group must be positive");
  if (x.dims[1].known() && w.dims[1].known() && x.dims[1].value != w.dims[1].value * group)
    return ctx.error("x has " + x.dims[1].to_string() + " channels, w expects " + std::to_string(w.dims[1].value * group));
  if (w.dims[0].known() && w.dims[0].value % group != 0) return ctx.error("group does not divide the output channels");
  const std::vector<int64_t> kernel = known_sizes(w.dims, 2);
  if (!ctx.node().has_attr("kernel_shape") && std::find(kernel.begin(), kernel.end(), -1) != kernel.end()) {
    std::vector<Dim> dims(x.dims.size());  // kernel unknown until run time
    dims[0] = x.dims[0];
    dims[1] = w.dims[0];
    ctx.set_output(0, out, dims);
    return Status::ok();
  }
  auto g = resolve_conv_geometry(ctx.node(), known_sizes(x.dims, 2), kernel);
  if (!g.is_ok()) return ctx.error(g.status().message());
  ctx.set_output(0, out, conv_output_dims(x.dims[0], w.dims[0], *g));
  return Status::ok();
}

Result<IntConvShape> int_conv_shape(const Node& node, const Shape& x, const Shape& w) {
  if (x.size() < 3 || x.size() != w.size()) return invalid_argument("x and w must have the same rank >= 3");
  EW_ASSIGN_OR_RETURN(ConvGeometry g, resolve_conv_geometry(node, Shape(x.begin() + 2, x.end()), Shape(w.begin() + 2, w.end())));
  return make_int_conv_shape(x, w, node.attr_int("group", 1), g);
}

}  // namespace ew::quant
