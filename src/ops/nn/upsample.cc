// Upsample (deprecated since opset 10): nearest or linear resampling by
// scales (an attribute at opset 7, an input from opset 9); output extent
// floor(in * scale), asymmetric coordinates.
#include <cmath>

#include "ops/nn/node_status.h"
#include "ops/nn/resize_kernel.h"

namespace ew {
namespace {

Result<ResizeOptions> upsample_options(const Node& node) {
  ResizeOptions opt;
  std::string mode = node.attr_string("mode", "nearest");
  if (mode == "nearest") opt.mode = ResizeMode::kNearest;
  else if (mode == "linear" || mode == "bilinear") opt.mode = ResizeMode::kLinear;
  else return invalid_argument("unsupported mode '" + mode + "'");
  opt.coordinate_mode = "asymmetric";
  opt.nearest_mode = "legacy";
  return opt;
}

// Scales from the attribute (opset < 9) or input 1; empty when not known statically.
Result<std::vector<double>> upsample_scales(const Node& node, int64_t opset, const Tensor* input, int64_t rank) {
  std::vector<double> s;
  if (opset < 9) {
    for (float f : node.attr_floats("scales")) s.push_back(f);
  } else {
    if (!input) return s;
    for (int64_t i = 0; i < input->numel(); ++i) s.push_back(input->get_double(i));
  }
  if (static_cast<int64_t>(s.size()) != rank)
    return invalid_argument("scales has " + std::to_string(s.size()) + " values for rank " + std::to_string(rank));
  for (double v : s)
    if (!(v >= 1.0) || !std::isfinite(v) || v > 1e6) return invalid_argument("scale " + std::to_string(v) + " is out of range");
  return s;
}

Shape upsampled(const Shape& in, const std::vector<double>& scales) {
  Shape out;
  for (size_t a = 0; a < in.size(); ++a) out.push_back(static_cast<int64_t>(std::floor(static_cast<double>(in[a]) * scales[a])));
  return out;
}

Status infer_upsample(InferContext& ctx) {
  const ValueType& x = ctx.input_type(0);
  EW_NODE_ASSIGN_OR_RETURN(ctx, ResizeOptions opt, upsample_options(ctx.node()));
  if (!x.has_shape) { ctx.set_output_dtype_only(0, x.dtype); return Status::ok(); }
  const Tensor* value = ctx.opset() >= 9 && ctx.has_input(1) ? ctx.input_value(1) : nullptr;
  if (ctx.opset() >= 9 && !ctx.has_input(1)) return ctx.error("scales input is required");
  EW_NODE_ASSIGN_OR_RETURN(ctx, std::vector<double> scales,
                           upsample_scales(ctx.node(), ctx.opset(), value, static_cast<int64_t>(x.dims.size())));
  if (!x.fully_known() || scales.empty()) {
    ctx.set_output(0, x.dtype, std::vector<Dim>(x.dims.size()));
    return Status::ok();
  }
  ctx.set_output(0, x.dtype, upsampled(x.concrete_shape(), scales));
  return Status::ok();
}

Status run_upsample(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  EW_NODE_ASSIGN_OR_RETURN(ctx, ResizeOptions opt, upsample_options(ctx.node()));
  const Tensor* value = ctx.opset() >= 9 && ctx.has_input(1) ? &ctx.input(1) : nullptr;
  EW_NODE_ASSIGN_OR_RETURN(ctx, opt.scales, upsample_scales(ctx.node(), ctx.opset(), value, x.rank()));
  if (opt.scales.empty()) return ctx.error("scales input is required");
  if (upsampled(x.shape(), opt.scales) != ctx.output(0).shape()) return ctx.error("output shape differs from the inferred one");
  if (!resize_tensor(x, opt, ctx.output(0))) return ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Upsample", .since_version = 7, .infer = infer_upsample, .run = run_upsample);

}  // namespace ew
