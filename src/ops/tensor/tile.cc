// Tile: repeats the input `repeats[d]` times along each dim d.
#include <cstring>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_tile(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  Tensor& out = ctx.output(0);
  if (!out.defined()) return ctx.error("output shape was not inferred");
  if (out.numel() == 0) return Status::ok();
  const int64_t rank = x.rank();
  const size_t elem = dtype_size(x.dtype());
  if (rank == 0) {
    std::memcpy(out.raw(), x.raw(), elem);
    return Status::ok();
  }
  // Each output row (last dim) is the matching input row repeated; walk rows with an odometer.
  const auto in_strides = shape_strides(x.shape());
  const int64_t in_row = x.dim(rank - 1);
  const size_t row_bytes = in_row * elem;
  const int64_t reps = out.dim(rank - 1) / in_row;
  const int64_t rows = out.numel() / out.dim(rank - 1);
  std::vector<int64_t> pos(rank, 0);
  const auto* src = static_cast<const uint8_t*>(x.raw());
  auto* dst = static_cast<uint8_t*>(out.raw());
  for (int64_t r = 0; r < rows; ++r) {
    int64_t off = 0;
    for (int64_t d = 0; d + 1 < rank; ++d) off += (pos[d] % x.dim(d)) * in_strides[d];
    for (int64_t k = 0; k < reps; ++k, dst += row_bytes) std::memcpy(dst, src + off * elem, row_bytes);
    for (int64_t d = rank - 2; d >= 0 && ++pos[d] == out.dim(d); --d) pos[d] = 0;
  }
  return Status::ok();
}

Status infer_tile(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 2));
  const ValueType& in = ctx.input_type(0);
  EW_RETURN_IF_ERROR(require_integer(ctx, 1, "repeats"));
  const Tensor* reps = ctx.input_value(1);
  if (!in.has_shape) {
    ctx.set_output_dtype_only(0, in.dtype);
    return Status::ok();
  }
  if (!reps) {
    ctx.set_output(0, in.dtype, unknown_dims(in.dims.size()));
    return Status::ok();
  }
  std::vector<int64_t> r = reps->to_int64_vector();
  if (reps->rank() != 1 || r.size() != in.dims.size())
    return ctx.error("repeats must be 1-D with one entry per input dim, got " + reps->describe());
  std::vector<Dim> out;
  for (size_t d = 0; d < r.size(); ++d) {
    if (r[d] < 0) return ctx.error("repeats must be non-negative");
    if (in.dims[d].known() && r[d] != 0 && in.dims[d].value > INT64_MAX / r[d]) return ctx.error("output too large");
    out.push_back(in.dims[d].known() ? Dim(in.dims[d].value * r[d]) : (r[d] == 0 ? Dim(0) : Dim{}));
  }
  ctx.set_output(0, in.dtype, out);
  fold_small(ctx, run_tile);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Tile", .infer = infer_tile, .run = run_tile);

}  // namespace ew
