// Resize (opsets 10-19): nearest / linear / cubic resampling of any axes,
// from scales or sizes (optionally for a subset of axes and with a
// keep_aspect_ratio_policy), with every coordinate_transformation_mode.
#include <cmath>
#include <limits>

#include "ops/nn/node_status.h"
#include "ops/nn/resize_kernel.h"

namespace ew {
namespace {

bool present(const Tensor* t) { return t != nullptr && t->numel() > 0; }

// Reads the mode attributes into opt (scales and roi come later).
Status read_resize_attrs(const Node& node, int64_t opset, ResizeOptions* opt) {
  std::string mode = node.attr_string("mode", "nearest");
  if (mode == "nearest") opt->mode = ResizeMode::kNearest;
  else if (mode == "linear" || (opset < 11 && mode == "bilinear")) opt->mode = ResizeMode::kLinear;
  else if (mode == "cubic" && opset >= 11) opt->mode = ResizeMode::kCubic;
  else return invalid_argument("unsupported mode '" + mode + "'");
  if (opset < 11) {
    opt->coordinate_mode = "asymmetric";
    opt->nearest_mode = "legacy";
    return Status::ok();
  }
  opt->coordinate_mode = node.attr_string("coordinate_transformation_mode", "half_pixel");
  static const char* kModes[] = {"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners",
                                 "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize"};
  bool known = false;
  for (const char* m : kModes) known = known || opt->coordinate_mode == m;
  if (!known) return invalid_argument("unknown coordinate_transformation_mode '" + opt->coordinate_mode + "'");
  opt->nearest_mode = node.attr_string("nearest_mode", "round_prefer_floor");
  if (opt->nearest_mode != "round_prefer_floor" && opt->nearest_mode != "round_prefer_ceil" &&
      opt->nearest_mode != "floor" && opt->nearest_mode != "ceil")
    return invalid_argument("unknown nearest_mode '" + opt->nearest_mode + "'");
  opt->cubic_a = node.attr_float("cubic_coeff_a", -0.75f);
  opt->exclude_outside = node.attr_int("exclude_outside", 0) != 0;
  opt->extrapolation_value = node.attr_float("extrapolation_value", 0.0f);
  opt->antialias = opset >= 18 && node.attr_int("antialias", 0) != 0;
  return Status::ok();
}

// The resized axes: the axes attribute (opset 18) or every axis.
Result<std::vector<int64_t>> resize_axes(const Node& node, int64_t opset, int64_t rank) {
  std::vector<int64_t> axes;
  if (opset >= 18 && node.has_attr("axes")) {
    std::vector<bool> seen(static_cast<size_t>(rank), false);
    for (int64_t a : node.attr_ints("axes")) {
      auto n = normalize_axis(a, rank);
      if (!n || seen[*n]) return invalid_argument("invalid or repeated axis " + std::to_string(a));
      seen[*n] = true;
      axes.push_back(*n);
    }
    return axes;
  }
  for (int64_t a = 0; a < rank; ++a) axes.push_back(a);
  return axes;
}

// Output shape and per-axis scales from the scales or sizes input.
Status resize_shape(const Node& node, int64_t opset, const Shape& in, const Tensor* scales, const Tensor* sizes,
                    ResizeOptions* opt, Shape* out) {
  const int64_t rank = static_cast<int64_t>(in.size());
  EW_ASSIGN_OR_RETURN(std::vector<int64_t> axes, resize_axes(node, opset, rank));
  const int64_t n = static_cast<int64_t>(axes.size());
  opt->scales.assign(static_cast<size_t>(rank), 1.0);
  *out = in;
  if (present(scales) == present(sizes)) return invalid_argument("exactly one of scales and sizes must be given");
  if (present(scales)) {
    if (scales->numel() != n) return invalid_argument("scales has " + std::to_string(scales->numel()) + " values, expected " + std::to_string(n));
    for (int64_t i = 0; i < n; ++i) {
      double s = scales->get_double(i);
      if (!(s > 0) || !std::isfinite(s) || static_cast<double>(in[axes[i]]) * s > 1e12)
        return invalid_argument("scale " + std::to_string(s) + " is out of range");
      opt->scales[axes[i]] = s;
      (*out)[axes[i]] = static_cast<int64_t>(std::floor(static_cast<double>(in[axes[i]]) * s));
    }
    return Status::ok();
  }
  if (sizes->numel() != n) return invalid_argument("sizes has " + std::to_string(sizes->numel()) + " values, expected " + std::to_string(n));
  std::string policy = opset >= 18 ? node.attr_string("keep_aspect_ratio_policy", "stretch") : "stretch";
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return invalid_argument("unknown keep_aspect_ratio_policy '" + policy + "'");
  double uniform = policy == "not_larger" ? std::numeric_limits<double>::infinity() : 0.0;
  for (int64_t i = 0; i < n; ++i) {
    int64_t s = sizes->get_int64(i);
    if (s < 0 || s > (int64_t{1} << 40)) return invalid_argument("size " + std::to_string(s) + " is out of range");
    if (in[axes[i]] == 0) return invalid_argument("cannot resize an empty axis");
    double scale = static_cast<double>(s) / static_cast<double>(in[axes[i]]);
    uniform = policy == "not_larger" ? std::min(uniform, scale) : std::max(uniform, scale);
    opt->scales[axes[i]] = scale;
    (*out)[axes[i]] = s;
  }
  if (policy == "stretch") return Status::ok();
  for (int64_t a : axes) {
    opt->scales[a] = uniform;
    (*out)[a] = static_cast<int64_t>(std::nearbyint(uniform * static_cast<double>(in[a])));
  }
  return Status::ok();
}

// Input indices of scales and sizes for the opset (-1: none).
void scale_inputs(int64_t opset, int* scales, int* sizes) {
  *scales = opset < 11 ? 1 : 2;
  *sizes = opset < 11 ? -1 : 3;
}

Status infer_resize(InferContext& ctx) {
  const ValueType& x = ctx.input_type(0);
  ResizeOptions opt;
  EW_RETURN_IF_ERROR(node_status(ctx, read_resize_attrs(ctx.node(), ctx.opset(), &opt)));
  if (!x.has_shape) { ctx.set_output_dtype_only(0, x.dtype); return Status::ok(); }
  int si, zi;
  scale_inputs(ctx.opset(), &si, &zi);
  const Tensor* scales = ctx.has_input(si) ? ctx.input_value(si) : nullptr;
  const Tensor* sizes = zi >= 0 && ctx.has_input(zi) ? ctx.input_value(zi) : nullptr;
  bool scales_unknown = ctx.has_input(si) && scales == nullptr;
  bool sizes_unknown = zi >= 0 && ctx.has_input(zi) && sizes == nullptr;
  if (!x.fully_known() || scales_unknown || sizes_unknown) {
    ctx.set_output(0, x.dtype, std::vector<Dim>(x.dims.size()));
    return Status::ok();
  }
  Shape out;
  EW_RETURN_IF_ERROR(node_status(ctx, resize_shape(ctx.node(), ctx.opset(), x.concrete_shape(), scales, sizes, &opt, &out)));
  ctx.set_output(0, x.dtype, out);
  return Status::ok();
}

Status run_resize(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  ResizeOptions opt;
  EW_RETURN_IF_ERROR(node_status(ctx, read_resize_attrs(ctx.node(), ctx.opset(), &opt)));
  int si, zi;
  scale_inputs(ctx.opset(), &si, &zi);
  const Tensor* scales = ctx.has_input(si) ? &ctx.input(si) : nullptr;
  const Tensor* sizes = zi >= 0 && ctx.has_input(zi) ? &ctx.input(zi) : nullptr;
  Shape out;
  EW_RETURN_IF_ERROR(node_status(ctx, resize_shape(ctx.node(), ctx.opset(), x.shape(), scales, sizes, &opt, &out)));
  if (out != ctx.output(0).shape()) return ctx.error("output shape differs from the inferred one");
  for (int64_t a = 0; a < x.rank(); ++a)
    if (x.dim(a) == 0 && out[a] > 0) return ctx.error("cannot resize an empty axis");
  if (opt.coordinate_mode == "tf_crop_and_resize") {
    if (!ctx.has_input(1) || ctx.input(1).numel() != 2 * x.rank()) {
      EW_NODE_ASSIGN_OR_RETURN(ctx, std::vector<int64_t> axes, resize_axes(ctx.node(), ctx.opset(), x.rank()));
      if (!ctx.has_input(1) || ctx.input(1).numel() != 2 * static_cast<int64_t>(axes.size()))
        return ctx.error("tf_crop_and_resize needs roi with 2 values per resized axis");
      opt.roi.assign(2 * static_cast<size_t>(x.rank()), 0.0);
      for (int64_t a = 0; a < x.rank(); ++a) opt.roi[x.rank() + a] = 1.0;
      for (size_t i = 0; i < axes.size(); ++i) {
        opt.roi[axes[i]] = ctx.input(1).get_double(static_cast<int64_t>(i));
        opt.roi[x.rank() + axes[i]] = ctx.input(1).get_double(static_cast<int64_t>(i + axes.size()));
      }
    } else {
      for (int64_t i = 0; i < 2 * x.rank(); ++i) opt.roi.push_back(ctx.input(1).get_double(i));
    }
  }
  if (!resize_tensor(x, opt, ctx.output(0))) return ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Resize", .since_version = 10, .infer = infer_resize, .run = run_resize);

}  // namespace ew
