// CumSum: running sum along the axis given by input 1; `exclusive` leaves the
// current element out, `reverse` runs from the end.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

// Reads the axis tensor (a scalar or one-element 1-D integer tensor).
Result<int64_t> read_axis(const Tensor& t, int64_t rank) {
  if (!is_integer(t.dtype()) || t.rank() > 1 || t.numel() != 1)
    return invalid_argument("axis must be an integer scalar, got " + t.describe());
  const int64_t axis = t.get_int64(0);
  auto a = normalize_axis(axis, rank);
  if (!a) return invalid_argument("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return *a;
}

Status infer_cum_sum(InferContext& ctx) {
  if (!ctx.has_input(0) || !ctx.has_input(1)) return ctx.error("needs inputs 'x' and 'axis'");
  const ValueType& in = ctx.input_type(0);
  if (in.dtype != DType::kUndefined && !is_float(in.dtype) && !is_integer(in.dtype))
    return ctx.error(std::string("unsupported type ") + dtype_name(in.dtype));
  const DType at = ctx.input_type(1).dtype;
  if (at != DType::kUndefined && !is_integer(at)) return ctx.error(std::string("axis must be int32 or int64, got ") + dtype_name(at));
  if (const Tensor* axis = ctx.input_value(1); axis && in.has_shape) {
    auto a = read_axis(*axis, static_cast<int64_t>(in.dims.size()));
    if (!a.is_ok()) return ctx.error(a.status().message());
  }
  ctx.set_output(0, in);
  return Status::ok();
}

template <typename T>
void cum_sum(const T* x, T* y, int64_t outer, int64_t n, int64_t inner, bool exclusive, bool reverse) {
  using Acc = wide_t<T>;
  const int64_t step = reverse ? -inner : inner;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      int64_t off = o * n * inner + i + (reverse ? (n - 1) * inner : 0);
      Acc acc = 0;
      for (int64_t k = 0; k < n; ++k, off += step) {
        const Acc v = widen(x[off]);
        if (!exclusive) acc = wrap_add(acc, v);
        y[off] = narrow_to<T>(acc);
        if (exclusive) acc = wrap_add(acc, v);
      }
    }
  }
}

Status run_cum_sum(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  auto axis = read_axis(ctx.input(1), x.rank());
  if (!axis.is_ok()) return ctx.error(axis.status().message());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < *axis; ++d) outer *= x.dim(d);
  for (int64_t d = *axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  const bool exclusive = ctx.node().attr_int("exclusive", 0) != 0;
  const bool reverse = ctx.node().attr_int("reverse", 0) != 0;
  bool ok = visit_numeric(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    cum_sum<T>(x.data<T>(), ctx.output(0).data<T>(), outer, x.dim(*axis), inner, exclusive, reverse);
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "CumSum", .since_version = 11, .infer = infer_cum_sum, .run = run_cum_sum);

}  // namespace ew
