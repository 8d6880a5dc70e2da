// ScatterND: a copy of `data` where each index tuple (last dim of `indices`,
// length k) addresses a slice data[i0, ..., ik-1, ...] that takes (or is
// reduced with) the matching slice of `updates`.
// updates.shape must be indices.shape[:-1] + data.shape[k:].
#include <cstring>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/scatter_reduction.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

// Element offset into data of every index tuple; fails on an out-of-range index.
Result<std::vector<int64_t>> tuple_offsets(const KernelContext& ctx, const Tensor& data, const Tensor& indices) {
  const int64_t k = indices.dim(indices.rank() - 1);
  const auto strides = shape_strides(data.shape());
  const std::vector<int64_t> idx = indices.to_int64_vector();
  const int64_t n = k == 0 ? dims_product(indices.shape(), 0, indices.rank() - 1) : static_cast<int64_t>(idx.size()) / k;
  std::vector<int64_t> offsets(n, 0);
  for (int64_t t = 0; t < n; ++t)
    for (int64_t j = 0; j < k; ++j) {
      const int64_t dim = data.dim(j);
      int64_t i = idx[t * k + j];
      if (i < -dim || i >= dim)
        return index_error(ctx, "index " + std::to_string(i) + " is out of range for dim of size " + std::to_string(dim));
      offsets[t] += (i < 0 ? i + dim : i) * strides[j];
    }
  return offsets;
}

Status check_shapes(const KernelContext& ctx, const Tensor& data, const Tensor& indices, const Tensor& updates) {
  if (indices.rank() < 1) return ctx.error("indices must have rank >= 1");
  const int64_t k = indices.dim(indices.rank() - 1);
  if (k > data.rank()) return ctx.error("index tuples are longer than the data rank");
  Shape expect(indices.shape().begin(), indices.shape().end() - 1);
  expect.insert(expect.end(), data.shape().begin() + k, data.shape().end());
  if (updates.shape() != expect)
    return ctx.error("updates shape " + shape_to_string(updates.shape()) + " should be " + shape_to_string(expect));
  return Status::ok();
}

Status run_scatter_nd(KernelContext& ctx) {
  const Tensor& data = ctx.input(0);
  const Tensor& indices = ctx.input(1);
  const Tensor& updates = ctx.input(2);
  Tensor& out = ctx.output(0);
  EW_ASSIGN_OR_RETURN(ScatterReduction red, scatter_reduction(ctx));
  EW_RETURN_IF_ERROR(check_shapes(ctx, data, indices, updates));
  EW_ASSIGN_OR_RETURN(auto offsets, tuple_offsets(ctx, data, indices));
  const int64_t slice = dims_product(data.shape(), indices.dim(indices.rank() - 1), data.rank());
  if (data.nbytes()) std::memcpy(out.raw(), data.raw(), data.nbytes());
  bool ok = visit_dtype(data.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* upd = updates.data<T>();
    T* dst = out.data<T>();
    for (size_t t = 0; t < offsets.size(); ++t)
      for (int64_t e = 0; e < slice; ++e) scatter_combine<T>(red, dst[offsets[t] + e], upd[t * slice + e]);
  });
  return ok ? Status::ok() : ctx.error("unsupported type");
}

Status infer_scatter_nd(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 3));
  const ValueType& data = ctx.input_type(0);
  const DType it = ctx.input_type(1).dtype;
  if (it != DType::kUndefined && it != DType::kInt64) return ctx.error("indices must be int64");
  const DType ut = ctx.input_type(2).dtype;
  if (ut != DType::kUndefined && data.dtype != DType::kUndefined && ut != data.dtype)
    return ctx.error("updates must have the type of data");
  EW_RETURN_IF_ERROR(scatter_reduction(ctx).status());
  ctx.set_output(0, data);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "ScatterND", .infer = infer_scatter_nd, .run = run_scatter_nd);

}  // namespace ew
