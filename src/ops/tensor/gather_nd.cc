// GatherND: each index tuple (the last dim of `indices`, length k) selects a
// slice data[b..., i0, ..., ik-1, ...]; the first batch_dims dims are shared.
// Output shape: indices.shape[:-1] + data.shape[batch_dims + k:].
#include <algorithm>
#include <cstring>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_gather_nd(KernelContext& ctx) {
  const Tensor& data = ctx.input(0);
  const Tensor& indices = ctx.input(1);
  const int64_t b = ctx.node().attr_int("batch_dims", 0);
  const int64_t r = data.rank(), q = indices.rank();
  const int64_t k = indices.dim(q - 1);
  for (int64_t d = 0; d < b; ++d)
    if (indices.dim(d) != data.dim(d)) return ctx.error("batch dims of data and indices differ");
  const auto strides = shape_strides(data.shape());
  const int64_t batches = dims_product(data.shape(), 0, b);
  const int64_t batch_stride = dims_product(data.shape(), b, r);
  const int64_t per_batch = dims_product(indices.shape(), b, q - 1);
  const size_t elem = dtype_size(data.dtype());
  const size_t slice = dims_product(data.shape(), b + k, r) * elem;
  const std::vector<int64_t> idx = indices.to_int64_vector();
  const auto* src = static_cast<const uint8_t*>(data.raw());
  auto* dst = static_cast<uint8_t*>(ctx.output(0).raw());
  for (int64_t t = 0; t < batches * per_batch; ++t) {
    int64_t off = (t / std::max<int64_t>(per_batch, 1)) * batch_stride;
    for (int64_t j = 0; j < k; ++j) {
      const int64_t dim = data.dim(b + j);
      int64_t i = idx[t * k + j];
      if (i < -dim || i >= dim)
        return index_error(ctx, "index " + std::to_string(i) + " is out of range for dim of size " + std::to_string(dim));
      off += (i < 0 ? i + dim : i) * strides[b + j];
    }
    if (slice) std::memcpy(dst + t * slice, src + off * elem, slice);
  }
  return Status::ok();
}

Status infer_gather_nd(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 2));
  const ValueType& data = ctx.input_type(0);
  const ValueType& ind = ctx.input_type(1);
  if (ind.dtype != DType::kUndefined && ind.dtype != DType::kInt64) return ctx.error("indices must be int64");
  if (!data.has_shape || !ind.has_shape) {
    ctx.set_output_dtype_only(0, data.dtype);
    return Status::ok();
  }
  const int64_t b = ctx.node().attr_int("batch_dims", 0);
  const int64_t r = static_cast<int64_t>(data.dims.size()), q = static_cast<int64_t>(ind.dims.size());
  if (r < 1 || q < 1) return ctx.error("data and indices must have rank >= 1");
  if (b < 0 || b >= std::min(r, q)) return ctx.error("batch_dims " + std::to_string(b) + " is out of range");
  if (!ind.dims[q - 1].known()) {
    ctx.set_output_dtype_only(0, data.dtype);
    return Status::ok();
  }
  const int64_t k = ind.dims[q - 1].value;
  if (k < 1 || k > r - b) return ctx.error("index tuples of length " + std::to_string(k) + " do not fit data rank");
  for (int64_t d = 0; d < b; ++d)
    if (data.dims[d].known() && ind.dims[d].known() && data.dims[d].value != ind.dims[d].value)
      return ctx.error("batch dim " + std::to_string(d) + " differs between data and indices");
  std::vector<Dim> out(ind.dims.begin(), ind.dims.end() - 1);
  out.insert(out.end(), data.dims.begin() + b + k, data.dims.end());
  ctx.set_output(0, data.dtype, out);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "GatherND", .infer = infer_gather_nd, .run = run_gather_nd);

}  // namespace ew
