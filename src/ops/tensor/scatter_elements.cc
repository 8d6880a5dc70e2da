// ScatterElements (and its deprecated alias Scatter, opsets 9-10): a copy of
// `data` where, for every entry of `indices`, the element at that entry's
// coordinates with the `axis` coordinate replaced by the index takes (or is
// reduced with) the matching update.
#include <cstring>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/scatter_reduction.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_scatter_elements(KernelContext& ctx) {
  const Tensor& data = ctx.input(0);
  const Tensor& indices = ctx.input(1);
  const Tensor& updates = ctx.input(2);
  Tensor& out = ctx.output(0);
  EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, 0, data.rank()));
  EW_ASSIGN_OR_RETURN(ScatterReduction red, scatter_reduction(ctx));
  if (indices.shape() != updates.shape()) return ctx.error("indices and updates must have the same shape");
  if (indices.rank() != data.rank()) return ctx.error("indices must have the rank of data");
  for (int64_t d = 0; d < data.rank(); ++d)
    if (d != axis && indices.dim(d) > data.dim(d))
      return ctx.error("indices dim " + std::to_string(d) + " exceeds the data dim");
  std::vector<int64_t> idx = indices.to_int64_vector();
  std::vector<int64_t> offsets;
  int64_t bad = axis_offsets(data.shape(), indices.shape(), idx, axis, offsets);
  if (bad >= 0)
    return index_error(ctx, "index " + std::to_string(idx[bad]) + " is out of range for axis of size " +
                                std::to_string(data.dim(axis)));
  if (data.nbytes()) std::memcpy(out.raw(), data.raw(), data.nbytes());
  bool ok = visit_dtype(data.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* upd = updates.data<T>();
    T* dst = out.data<T>();
    for (size_t k = 0; k < offsets.size(); ++k) scatter_combine<T>(red, dst[offsets[k]], upd[k]);
  });
  return ok ? Status::ok() : ctx.error("unsupported type");
}

Status infer_scatter_elements(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 3));
  const ValueType& data = ctx.input_type(0);
  EW_RETURN_IF_ERROR(require_integer(ctx, 1, "indices"));
  const DType ut = ctx.input_type(2).dtype;
  if (ut != DType::kUndefined && data.dtype != DType::kUndefined && ut != data.dtype)
    return ctx.error("updates must have the type of data");
  EW_RETURN_IF_ERROR(scatter_reduction(ctx).status());
  ctx.set_output(0, data);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "ScatterElements", .infer = infer_scatter_elements, .run = run_scatter_elements);
EW_REGISTER_OP(.op_type = "Scatter", .infer = infer_scatter_elements, .run = run_scatter_elements);

}  // namespace ew
