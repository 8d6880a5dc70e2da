// Transpose: permutes dims; perm defaults to reversing them.
#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

template <typename Ctx>
Result<std::vector<int64_t>> permutation(const Ctx& ctx, int64_t rank) {
  std::vector<int64_t> perm = ctx.node().attr_ints("perm");
  if (!ctx.node().has_attr("perm")) {
    for (int64_t i = rank - 1; i >= 0; --i) perm.push_back(i);
    return perm;
  }
  if (static_cast<int64_t>(perm.size()) != rank)
    return ctx.error("perm has " + std::to_string(perm.size()) + " entries for rank " + std::to_string(rank));
  std::vector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p]) return ctx.error("perm is not a permutation of 0.." + std::to_string(rank - 1));
    seen[p] = true;
  }
  return perm;
}

Status run_transpose(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  EW_ASSIGN_OR_RETURN(auto perm, permutation(ctx, x.rank()));
  auto in_strides = shape_strides(x.shape());
  std::vector<int64_t> strides;
  for (int64_t p : perm) strides.push_back(in_strides[p]);
  if (!copy_strided(x, ctx.output(0), strides, 0)) return ctx.error("unsupported type");
  return Status::ok();
}

Status infer_transpose(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  if (!in.has_shape) {
    ctx.set_output_dtype_only(0, in.dtype);
    return Status::ok();
  }
  EW_ASSIGN_OR_RETURN(auto perm, permutation(ctx, static_cast<int64_t>(in.dims.size())));
  std::vector<Dim> out;
  for (int64_t p : perm) out.push_back(in.dims[p]);
  ctx.set_output(0, in.dtype, out);
  fold_small(ctx, run_transpose);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Transpose", .infer = infer_transpose, .run = run_transpose);

}  // namespace ew
