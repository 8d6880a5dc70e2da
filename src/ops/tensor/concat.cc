// Concat: joins inputs of equal rank along `axis`; other dims must agree.
#include <cstring>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_concat(KernelContext& ctx) {
  Tensor& out = ctx.output(0);
  EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, 0, out.rank()));
  const int64_t outer = dims_product(out.shape(), 0, axis);
  const size_t elem = dtype_size(out.dtype());
  const int64_t out_row = dims_product(out.shape(), axis, out.rank()) * elem;
  auto* dst = static_cast<uint8_t*>(out.raw());
  int64_t col = 0;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    if (!ctx.has_input(i)) continue;
    const Tensor& x = ctx.input(i);
    const int64_t row = dims_product(x.shape(), axis, x.rank()) * elem;
    if (row == 0) continue;
    const auto* src = static_cast<const uint8_t*>(x.raw());
    for (int64_t o = 0; o < outer; ++o) std::memcpy(dst + o * out_row + col, src + o * row, row);
    col += row;
  }
  return Status::ok();
}

Status infer_concat(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 0));
  if (!ctx.node().has_attr("axis")) return ctx.error("attribute 'axis' is required");
  const ValueType* first = nullptr;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    if (!ctx.has_input(i)) continue;
    const ValueType& t = ctx.input_type(i);
    if (!first) first = &t;
    if (t.dtype != first->dtype && t.dtype != DType::kUndefined && first->dtype != DType::kUndefined)
      return ctx.error("inputs have different types");
  }
  if (!first) return ctx.error("Concat needs at least one input");
  std::vector<Dim> out;
  bool have_rank = false;
  for (int i = 0; i < ctx.num_inputs() && !have_rank; ++i)
    if (ctx.has_input(i) && ctx.input_type(i).has_shape) {
      out = ctx.input_type(i).dims;
      have_rank = true;
    }
  if (!have_rank) {
    ctx.set_output_dtype_only(0, first->dtype);
    return Status::ok();
  }
  const int64_t rank = static_cast<int64_t>(out.size());
  if (rank == 0) return ctx.error("cannot concatenate scalars");
  EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, 0, rank));
  int64_t total = 0;
  bool total_known = true;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    if (!ctx.has_input(i)) continue;
    const ValueType& t = ctx.input_type(i);
    if (!t.has_shape) { total_known = false; continue; }
    if (static_cast<int64_t>(t.dims.size()) != rank) return ctx.error("inputs have different ranks");
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis) continue;
      if (t.dims[d].known() && out[d].known() && t.dims[d].value != out[d].value)
        return ctx.error("input " + std::to_string(i) + " has dim " + std::to_string(d) + " = " +
                         t.dims[d].to_string() + ", expected " + out[d].to_string());
      if (!out[d].known() && t.dims[d].known()) out[d] = t.dims[d];
    }
    if (t.dims[axis].known()) total += t.dims[axis].value;
    else total_known = false;
  }
  out[axis] = total_known ? Dim(total) : Dim{};
  ctx.set_output(0, first->dtype, out);
  fold_small(ctx, run_concat);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Concat", .infer = infer_concat, .run = run_concat);

}  // namespace ew
