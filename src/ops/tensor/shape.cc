// Shape: the input's dims as an int64 vector; from opset 15 a [start, end)
// sub-range (negative counts from the end, clamped). Folds to a constant when
// the selected dims are known.
#include <algorithm>

#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

std::pair<int64_t, int64_t> shape_range(int64_t opset, const Node& node, int64_t rank) {
  if (opset < 15) return {0, rank};
  int64_t start = node.attr_int("start", 0);
  int64_t end = node.attr_int("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, 0, rank);
  return {start, std::max(start, end)};
}

Status run_shape(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  auto [start, end] = shape_range(ctx.opset(), ctx.node(), x.rank());
  EW_ASSIGN_OR_RETURN(Tensor* out, ctx.allocate_output(0, DType::kInt64, {end - start}));
  for (int64_t i = start; i < end; ++i) out->data<int64_t>()[i - start] = x.dim(i);
  return Status::ok();
}

Status infer_shape(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  if (!in.has_shape) {
    ctx.set_output(0, DType::kInt64, unknown_dims(1));
    return Status::ok();
  }
  auto [start, end] = shape_range(ctx.opset(), ctx.node(), static_cast<int64_t>(in.dims.size()));
  ctx.set_output(0, DType::kInt64, {Dim(end - start)});
  std::vector<int64_t> values;
  for (int64_t i = start; i < end; ++i) {
    if (!in.dims[i].known()) return Status::ok();
    values.push_back(in.dims[i].value);
  }
  EW_ASSIGN_OR_RETURN(Tensor v, Tensor::from_vector<int64_t>({end - start}, values));
  ctx.set_output_value(0, std::move(v));
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Shape", .infer = infer_shape, .run = run_shape);

}  // namespace ew
