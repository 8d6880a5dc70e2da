#include "ops/reduce/reduction.h"

#include <string>

namespace ew {

Result<ReduceAxesSpec> read_reduce_axes(const Node& node, int64_t opset, int64_t axes_input_since,
                                        bool axes_present, const Tensor* axes_value) {
  ReduceAxesSpec spec;
  spec.keepdims = node.attr_int("keepdims", 1) != 0;
  if (opset < axes_input_since) {
    if (axes_present)
      return invalid_argument("axes is an attribute, not an input, before opset " + std::to_string(axes_input_since));
    spec.axes = node.attr_ints("axes");
    return spec;
  }
  if (node.has_attr("axes"))
    return invalid_argument("axes is an input, not an attribute, from opset " + std::to_string(axes_input_since));
  spec.noop_with_empty_axes = node.attr_int("noop_with_empty_axes", 0) != 0;
  if (!axes_present) return spec;
  if (!axes_value) {
    spec.known = false;
    return spec;
  }
  if (axes_value->rank() > 1 || !is_integer(axes_value->dtype()))
    return invalid_argument("axes must be a 1-D integer tensor, got " + axes_value->describe());
  spec.axes = axes_value->to_int64_vector();
  return spec;
}

Result<std::vector<bool>> reduce_mask(const ReduceAxesSpec& spec, int64_t rank) {
  if (spec.axes.empty()) return std::vector<bool>(static_cast<size_t>(rank), !spec.noop_with_empty_axes);
  std::vector<bool> mask(static_cast<size_t>(rank), false);
  for (int64_t a : spec.axes) {
    auto axis = normalize_axis(a, rank);
    if (!axis) return invalid_argument("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    if (mask[*axis]) return invalid_argument("axis " + std::to_string(a) + " is repeated");
    mask[*axis] = true;
  }
  return mask;
}

std::vector<Dim> reduced_dims(const std::vector<Dim>& in, const std::vector<bool>& mask, bool keepdims) {
  std::vector<Dim> out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (!mask[i]) out.push_back(in[i]);
    else if (keepdims) out.emplace_back(int64_t{1});
  }
  return out;
}

Shape reduced_shape(const Shape& in, const std::vector<bool>& mask, bool keepdims) {
  Shape out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (!mask[i]) out.push_back(in[i]);
    else if (keepdims) out.push_back(1);
  }
  return out;
}

Status infer_reduce(InferContext& ctx, int64_t axes_input_since, bool allow_bool) {
  if (!ctx.has_input(0)) return ctx.error("missing input 'data'");
  const ValueType& in = ctx.input_type(0);
  const DType t = in.dtype;
  if (t != DType::kUndefined && !is_float(t) && !is_integer(t) && !(allow_bool && t == DType::kBool))
    return ctx.error(std::string("unsupported type ") + dtype_name(t));
  auto spec = read_reduce_axes(ctx.node(), ctx.opset(), axes_input_since, ctx.has_input(1), ctx.input_value(1));
  if (!spec.is_ok()) return ctx.error(spec.status().message());
  if (ctx.has_input(1)) {
    DType at = ctx.input_type(1).dtype;
    if (at != DType::kUndefined && !is_integer(at)) return ctx.error(std::string("axes must be int64, got ") + dtype_name(at));
  }
  if (!in.has_shape || (!spec->known && !spec->keepdims)) {
    ctx.set_output_dtype_only(0, t);
    return Status::ok();
  }
  if (!spec->known) {  // keepdims: same rank, any dim may become 1
    ctx.set_output(0, t, std::vector<Dim>(in.dims.size()));
    return Status::ok();
  }
  auto mask = reduce_mask(*spec, static_cast<int64_t>(in.dims.size()));
  if (!mask.is_ok()) return ctx.error(mask.status().message());
  ctx.set_output(0, t, reduced_dims(in.dims, *mask, spec->keepdims));
  return Status::ok();
}

Result<std::vector<bool>> reduce_mask_for_run(KernelContext& ctx, int64_t axes_input_since) {
  const Tensor* axes = ctx.has_input(1) ? &ctx.input(1) : nullptr;
  auto spec = read_reduce_axes(ctx.node(), ctx.opset(), axes_input_since, axes != nullptr, axes);
  if (!spec.is_ok()) return ctx.error(spec.status().message());
  auto mask = reduce_mask(*spec, ctx.input(0).rank());
  if (!mask.is_ok()) return ctx.error(mask.status().message());
  return mask;
}

namespace {
// Appends an axis to a (dims, strides) list, merging it into the previous
// entry when the two are contiguous (row-major order is preserved).
void append_axis(std::vector<int64_t>& dims, std::vector<int64_t>& strides, int64_t dim, int64_t stride) {
  if (!dims.empty() && strides.back() == dim * stride) {
    dims.back() *= dim;
    strides.back() = stride;
    return;
  }
  dims.push_back(dim);
  strides.push_back(stride);
}
}  // namespace

ReducePlan make_reduce_plan(const Shape& in, const std::vector<bool>& mask) {
  ReducePlan p;
  const std::vector<int64_t> strides = shape_strides(in);
  for (size_t i = 0; i < in.size(); ++i) {
    if (mask[i]) p.red_count *= in[i];
    if (in[i] == 1) continue;  // contributes a single index either way
    if (mask[i]) append_axis(p.red_dims, p.red_strides, in[i], strides[i]);
    else append_axis(p.kept_dims, p.kept_strides, in[i], strides[i]);
  }
  return p;
}

}  // namespace ew
