// Reshape: same bytes, new shape. A 0 in `shape` copies the input dim (unless
// allowzero, opset 14), one -1 is inferred from the element count.
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

// Output dims from the requested shape; unknown dims stay unknown.
Result<std::vector<Dim>> reshape_dims(const InferContext& ctx, const std::vector<Dim>& in,
                                      const std::vector<int64_t>& req, bool allowzero) {
  std::vector<Dim> out;
  int infer_at = -1;
  bool has_zero = false;
  for (size_t i = 0; i < req.size(); ++i) {
    int64_t r = req[i];
    if (r == -1) {
      if (infer_at >= 0) return ctx.error("shape has more than one -1");
      infer_at = static_cast<int>(i);
      out.emplace_back();
    } else if (r < -1) {
      return ctx.error("shape value " + std::to_string(r) + " is invalid");
    } else if (r == 0 && !allowzero) {
      if (i >= in.size()) return ctx.error("shape copies dim " + std::to_string(i) + " (0) beyond the input rank");
      out.push_back(in[i]);
    } else {
      has_zero = has_zero || r == 0;
      out.emplace_back(r);
    }
  }
  if (infer_at >= 0 && has_zero) return ctx.error("allowzero shape cannot hold both 0 and -1");
  auto in_n = dims_numel(in);
  if (!in_n) return out;
  if (infer_at >= 0) {
    out[infer_at] = Dim{};
    auto rest = dims_numel(out, 0, infer_at);
    auto rest2 = dims_numel(out, infer_at + 1);
    if (rest && rest2) {
      int64_t p = *rest * *rest2;
      if (p == 0 || *in_n % p != 0)
        return ctx.error("cannot infer -1: " + std::to_string(*in_n) + " elements into the shape");
      out[infer_at] = Dim(*in_n / p);
    }
    return out;
  }
  auto out_n = dims_numel(out);
  if (out_n && *out_n != *in_n)
    return ctx.error("cannot reshape " + std::to_string(*in_n) + " elements into " + std::to_string(*out_n));
  return out;
}

Status run_reshape(KernelContext& ctx) {
  if (!ctx.output(0).defined()) return ctx.error("output shape was not inferred");
  EW_ASSIGN_OR_RETURN(Tensor t, ctx.input(0).reshaped(ctx.output(0).shape()));
  ctx.set_output(0, std::move(t));
  return Status::ok();
}

Status infer_reshape(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 2));
  if (ctx.num_inputs() < 2 || !ctx.has_input(1)) return ctx.error("Reshape needs data and shape inputs");
  const ValueType& in = ctx.input_type(0);
  EW_RETURN_IF_ERROR(require_integer(ctx, 1, "shape"));
  const Tensor* shape = ctx.input_value(1);
  if (!shape) {
    const ValueType& st = ctx.input_type(1);
    if (st.has_shape && st.dims.size() == 1 && st.dims[0].known())
      ctx.set_output(0, in.dtype, unknown_dims(st.dims[0].value));
    else
      ctx.set_output_dtype_only(0, in.dtype);
    return Status::ok();
  }
  if (shape->rank() != 1) return ctx.error("shape must be 1-D, got " + shape->describe());
  bool allowzero = ctx.opset() >= 14 && ctx.node().attr_int("allowzero", 0) != 0;
  std::vector<Dim> in_dims = in.has_shape ? in.dims : std::vector<Dim>{};
  if (!in.has_shape) {
    // Unknown input rank: only literal dims are known.
    std::vector<Dim> out;
    for (int64_t r : shape->to_int64_vector()) out.push_back(r > 0 || (r == 0 && allowzero) ? Dim(r) : Dim{});
    ctx.set_output(0, in.dtype, out);
    return Status::ok();
  }
  EW_ASSIGN_OR_RETURN(auto out, reshape_dims(ctx, in_dims, shape->to_int64_vector(), allowzero));
  ctx.set_output(0, in.dtype, out);
  fold_small(ctx, run_reshape);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Reshape", .since_version = 5, .infer = infer_reshape, .run = run_reshape);

}  // namespace ew
