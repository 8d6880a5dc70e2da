// Compress: keeps the slices along `axis` (or, without axis, the elements of
// the flattened input) whose `condition` entry is true. A condition shorter
// than the axis drops the remaining slices.
#include <cstring>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

// Indices of the selected slices along an axis of length `dim`.
template <typename Ctx>
Result<std::vector<int64_t>> selected(const Ctx& ctx, const Tensor& cond, int64_t dim) {
  if (cond.rank() != 1) return ctx.error("condition must be 1-D, got " + cond.describe());
  std::vector<int64_t> keep;
  for (int64_t i = 0; i < cond.numel(); ++i) {
    if (cond.get_int64(i) == 0) continue;
    if (i >= dim) return ctx.error("condition selects slice " + std::to_string(i) + " beyond the axis length");
    keep.push_back(i);
  }
  return keep;
}

Status run_compress(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const bool has_axis = ctx.node().has_attr("axis");
  int64_t axis = 0;
  if (has_axis) {
    EW_ASSIGN_OR_RETURN(axis, axis_attr(ctx, 0, x.rank()));
  }
  const Shape shape = has_axis ? x.shape() : Shape{x.numel()};
  EW_ASSIGN_OR_RETURN(auto keep, selected(ctx, ctx.input(1), shape[axis]));
  Shape out_shape = shape;
  out_shape[axis] = static_cast<int64_t>(keep.size());
  EW_ASSIGN_OR_RETURN(Tensor* out, ctx.allocate_output(0, x.dtype(), out_shape));
  const int64_t outer = dims_product(shape, 0, axis);
  const size_t slice = dims_product(shape, axis + 1, shape.size()) * dtype_size(x.dtype());
  const auto* src = static_cast<const uint8_t*>(x.raw());
  auto* dst = static_cast<uint8_t*>(out->raw());
  if (slice == 0) return Status::ok();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k : keep) {
      std::memcpy(dst, src + (o * shape[axis] + k) * slice, slice);
      dst += slice;
    }
  return Status::ok();
}

Status infer_compress(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 2));
  const ValueType& in = ctx.input_type(0);
  const DType ct = ctx.input_type(1).dtype;
  if (ct != DType::kUndefined && ct != DType::kBool) return ctx.error("condition must be bool");
  const bool has_axis = ctx.node().has_attr("axis");
  if (!in.has_shape) {
    if (has_axis) ctx.set_output_dtype_only(0, in.dtype);
    else ctx.set_output(0, in.dtype, unknown_dims(1));
    return Status::ok();
  }
  std::vector<Dim> out{Dim{}};
  if (has_axis) {
    EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, 0, static_cast<int64_t>(in.dims.size())));
    out = in.dims;
    out[axis] = Dim{};
  }
  ctx.set_output(0, in.dtype, out);  // the selected count is data-dependent: allocated in run
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Compress", .since_version = 9, .infer = infer_compress, .run = run_compress);

}  // namespace ew
