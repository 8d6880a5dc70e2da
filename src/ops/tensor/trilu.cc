// Trilu: keeps the upper (j - i >= k) or lower (j - i <= k) triangle of the
// last two dims and zeroes the rest; k is an optional scalar input.
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_trilu(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  Tensor& out = ctx.output(0);
  int64_t k = 0;
  if (ctx.has_input(1)) {
    const Tensor& kt = ctx.input(1);
    if (kt.numel() != 1 || !is_integer(kt.dtype())) return ctx.error("k must be an integer scalar, got " + kt.describe());
    k = kt.get_int64(0);
  }
  const bool upper = ctx.node().attr_int("upper", 1) != 0;
  const int64_t rows = x.dim(x.rank() - 2), cols = x.dim(x.rank() - 1);
  const int64_t mats = rows * cols == 0 ? 0 : x.numel() / (rows * cols);
  bool ok = visit_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* src = x.data<T>();
    T* dst = out.data<T>();
    for (int64_t m = 0; m < mats; ++m)
      for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 0; j < cols; ++j) {
          const int64_t at = (m * rows + i) * cols + j;
          const bool keep = upper ? (j - i >= k) : (j - i <= k);
          dst[at] = keep ? src[at] : T{};
        }
  });
  return ok ? Status::ok() : ctx.error("unsupported type");
}

Status infer_trilu(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  if (in.has_shape && in.dims.size() < 2) return ctx.error("input must have rank >= 2");
  EW_RETURN_IF_ERROR(require_integer(ctx, 1, "k"));
  ctx.set_output(0, in);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Trilu", .since_version = 14, .infer = infer_trilu, .run = run_trilu);

}  // namespace ew
