// GatherElements: out[i] = data[i with the `axis` coordinate replaced by indices[i]].
#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_gather_elements(KernelContext& ctx) {
  const Tensor& data = ctx.input(0);
  const Tensor& indices = ctx.input(1);
  EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, 0, data.rank()));
  const int64_t rank = data.rank();
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis && indices.dim(d) > data.dim(d))
      return ctx.error("indices dim " + std::to_string(d) + " exceeds the data dim");
  std::vector<int64_t> idx = indices.to_int64_vector();
  std::vector<int64_t> offsets;
  int64_t bad = axis_offsets(data.shape(), indices.shape(), idx, axis, offsets);
  if (bad >= 0)
    return index_error(ctx, "index " + std::to_string(idx[bad]) + " is out of range for axis of size " +
                                std::to_string(data.dim(axis)));
  bool ok = visit_word(data.dtype(), [&](auto tag) {
    using W = typename decltype(tag)::type;
    const W* src = data.data<W>();
    W* dst = ctx.output(0).data<W>();
    for (size_t k = 0; k < offsets.size(); ++k) dst[k] = src[offsets[k]];
  });
  return ok ? Status::ok() : ctx.error("unsupported type");
}

Status infer_gather_elements(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 2));
  const ValueType& data = ctx.input_type(0);
  const ValueType& ind = ctx.input_type(1);
  EW_RETURN_IF_ERROR(require_integer(ctx, 1, "indices"));
  if (data.has_shape && ind.has_shape) {
    if (data.dims.size() != ind.dims.size()) return ctx.error("data and indices must have the same rank");
    if (data.dims.empty()) return ctx.error("data must have rank >= 1");
    EW_RETURN_IF_ERROR(axis_attr(ctx, 0, static_cast<int64_t>(data.dims.size())).status());
  }
  if (ind.has_shape) ctx.set_output(0, data.dtype, ind.dims);
  else ctx.set_output_dtype_only(0, data.dtype);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "GatherElements", .infer = infer_gather_elements, .run = run_gather_elements);

}  // namespace ew
