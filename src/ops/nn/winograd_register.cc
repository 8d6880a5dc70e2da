// Registers WinogradConv as the fast kernel of Conv and com.microsoft::FusedConv
// and decides which nodes it takes: fp32, 3x3, stride 1, dilation 1, group 1,
// enough channels to pay off. Weights and bias may be constants (transformed
// once) or inputs (transformed per run, as in training graphs).
#include <pthreadpool.h>

#include "ops/nn/conv_geometry.h"
#include "ops/nn/winograd_conv.h"

namespace ew {
namespace {

bool concrete_dims(const ValueType& t, size_t rank, Shape* out) {
  if (t.dtype != DType::kFloat32 || !t.fully_known() || t.dims.size() != rank) return false;
  out->clear();
  for (const Dim& d : t.dims) out->push_back(d.value);
  return true;
}

// Window attributes: only 3x3, stride 1, dilation 1; resolves pads and the output size.
bool read_window(const Node& node, WinogradConvParams* p) {
  if (node.attr_int("group", 1) != 1) return false;
  if (node.has_attr("kernel_shape") && node.attr_ints("kernel_shape") != std::vector<int64_t>{3, 3}) return false;
  Result<WindowGeometry> g = read_window_geometry(node, {3, 3});
  if (!g.is_ok()) return false;
  WindowGeometry& geo = g.value();
  if (geo.strides != std::vector<int64_t>{1, 1} || geo.dilations != std::vector<int64_t>{1, 1}) return false;
  Result<int64_t> oh = window_output_size(geo, 0, p->height);
  Result<int64_t> ow = window_output_size(geo, 1, p->width);
  if (!oh.is_ok() || !ow.is_ok() || oh.value() < 1 || ow.value() < 1) return false;
  p->out_height = oh.value();
  p->out_width = ow.value();
  p->pad_top = geo.pads[0];
  p->pad_left = geo.pads[1];
  return true;
}

bool optional_input(const PrepareContext& ctx, size_t i) {
  return i < ctx.input_types.size() && ctx.input_types[i].dtype != DType::kUndefined;
}

}  // namespace

bool winograd_conv_params(const PrepareContext& ctx, bool fused, WinogradConvParams* p) {
  if (ctx.input_types.size() < 2 || ctx.input_values.size() < ctx.input_types.size()) return false;
  Shape x, y;
  if (!concrete_dims(ctx.input_types[0], 4, &x)) return false;
  Shape w;
  if (!concrete_dims(ctx.input_types[1], 4, &w) || w != Shape{w[0], x[1], 3, 3}) return false;
  *p = WinogradConvParams{};
  p->batch = x[0];
  p->cin = x[1];
  p->cout = w[0];
  p->height = x[2];
  p->width = x[3];
  if (const Tensor* wt = ctx.input_values[1]) p->weights = wt->data<float>();
  else p->weights_input = 1;
  if (p->cin < 1 || p->cout < 1 || p->batch < 1) return false;
  if (!read_window(ctx.node, p)) return false;
  const Shape out_shape{p->batch, p->cout, p->out_height, p->out_width};
  if (ctx.output_types.empty() || !concrete_dims(ctx.output_types[0], 4, &y) || y != out_shape) return false;
  if (optional_input(ctx, 2)) {
    Shape b;
    if (!concrete_dims(ctx.input_types[2], 1, &b) || b != Shape{p->cout}) return false;
    if (const Tensor* bt = ctx.input_values[2]) p->bias = bt->data<float>();
    else p->bias_input = 2;
  }
  if (fused) {
    Result<FusedActivation> act = FusedActivation::of(ctx.node);
    if (!act.is_ok()) return false;
    p->activation = act.value();
    if (optional_input(ctx, 3)) {
      Shape z;
      if (!concrete_dims(ctx.input_types[3], 4, &z) || z != out_shape) return false;
      p->z_input = 3;
    }
  } else if (ctx.input_types.size() > 3) {
    return false;
  }
  p->threads = ctx.threadpool ? pthreadpool_get_threads_count(ctx.threadpool) : 1;
  return true;
}

bool winograd_pays_off(const WinogradConvParams& p) {
  if (p.cin < kWinogradMinChannels || p.cout < kWinogradMinChannels) return false;
  const int64_t tiles = (p.out_height + 3) / 4 * ((p.out_width + 3) / 4);
  const int64_t u_bytes = int64_t{4} * kWinogradPoints * ((p.cin + 15) / 16 * 16) * ((p.cout + 15) / 16 * 16);
  return u_bytes / tiles <= kWinogradMaxWeightBytesPerTile;
}

Result<std::unique_ptr<PreparedKernel>> prepare_winograd_conv(const PrepareContext& ctx, bool fused,
                                                              const WinogradPrepareOptions& options) {
  WinogradConvParams p;
  if (!winograd_conv_params(ctx, fused, &p)) return std::unique_ptr<PreparedKernel>();
  if (options.only_if_faster && !winograd_pays_off(p)) return std::unique_ptr<PreparedKernel>();
  return make_winograd_conv(p, options.kernels ? *options.kernels : *winograd_kernels_best());
}

namespace {

Result<std::unique_ptr<PreparedKernel>> prepare_conv(const PrepareContext& ctx) {
  return prepare_winograd_conv(ctx, false);
}
Result<std::unique_ptr<PreparedKernel>> prepare_fused_conv(const PrepareContext& ctx) {
  return prepare_winograd_conv(ctx, true);
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "Conv", .domain = "", .since_version = 1, .name = "winograd_f4x3",
                        .prepare = prepare_conv, .priority = 1);
EW_REGISTER_FAST_KERNEL(.op_type = "FusedConv", .domain = "com.microsoft", .since_version = 1,
                        .name = "winograd_f4x3", .prepare = prepare_fused_conv, .priority = 1);

}  // namespace ew
