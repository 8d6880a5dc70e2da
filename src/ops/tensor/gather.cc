// Gather: takes entries of `data` along `axis` at `indices` (negative counts
// from the end). Output shape: data[:axis] + indices.shape + data[axis+1:].
#include <cstring>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_gather(KernelContext& ctx) {
  const Tensor& data = ctx.input(0);
  const Tensor& indices = ctx.input(1);
  EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, 0, data.rank()));
  const int64_t dim = data.dim(axis);
  std::vector<int64_t> idx = indices.to_int64_vector();
  for (int64_t& i : idx) {
    if (i < -dim || i >= dim)
      return index_error(ctx, "index " + std::to_string(i) + " is out of range for axis of size " + std::to_string(dim));
    if (i < 0) i += dim;
  }
  const int64_t outer = dims_product(data.shape(), 0, axis);
  const size_t row = dims_product(data.shape(), axis + 1, data.rank()) * dtype_size(data.dtype());
  const auto* src = static_cast<const uint8_t*>(data.raw());
  auto* dst = static_cast<uint8_t*>(ctx.output(0).raw());
  const int64_t n = static_cast<int64_t>(idx.size());
  if (row == 0) return Status::ok();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < n; ++j) std::memcpy(dst + (o * n + j) * row, src + (o * dim + idx[j]) * row, row);
  return Status::ok();
}

Status infer_gather(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 2));
  const ValueType& data = ctx.input_type(0);
  const ValueType& ind = ctx.input_type(1);
  EW_RETURN_IF_ERROR(require_integer(ctx, 1, "indices"));
  if (!data.has_shape || !ind.has_shape) {
    ctx.set_output_dtype_only(0, data.dtype);
    return Status::ok();
  }
  const int64_t rank = static_cast<int64_t>(data.dims.size());
  if (rank < 1) return ctx.error("data must have rank >= 1");
  EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, 0, rank));
  std::vector<Dim> out(data.dims.begin(), data.dims.begin() + axis);
  out.insert(out.end(), ind.dims.begin(), ind.dims.end());
  out.insert(out.end(), data.dims.begin() + axis + 1, data.dims.end());
  ctx.set_output(0, data.dtype, out);
  fold_small(ctx, run_gather);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Gather", .infer = infer_gather, .run = run_gather);

}  // namespace ew
