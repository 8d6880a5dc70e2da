// Softmax, LogSoftmax, Hardmax. Before opset 13 the input is coerced to 2-D
// [prod(dims[:axis]), prod(dims[axis:])] and normalized over the second
// dimension (axis default 1); from opset 13 normalization runs along the one
// axis (default -1). Both views are [outer, n, inner] with stride `inner`.
#include <cmath>
#include <optional>

#include "ops/broadcast.h"

namespace ew {
namespace {

struct RowView {
  int64_t outer = 1, n = 1, inner = 1;
};

int64_t default_axis(int64_t opset) { return opset < 13 ? 1 : -1; }

// Axis in [0, rank]; the coerce-to-2D form (opset < 13) also accepts axis == rank
// (a 1-element row), and a scalar is a single row for axis 0 or -1.
std::optional<int64_t> resolve_axis(int64_t axis, int64_t rank, int64_t opset) {
  if (rank == 0) return (axis == 0 || axis == -1) ? std::optional<int64_t>(0) : std::nullopt;
  if (opset < 13 && axis == rank) return rank;
  return normalize_axis(axis, rank);
}

Status infer_softmax(InferContext& ctx) {
  if (!ctx.has_input(0)) return ctx.error("missing input 0");
  const ValueType& t = ctx.input_type(0);
  if (t.dtype != DType::kUndefined && !is_float(t.dtype))
    return ctx.error(std::string("input must be a float tensor, got ") + dtype_name(t.dtype));
  if (t.has_shape) {
    int64_t rank = static_cast<int64_t>(t.dims.size());
    int64_t axis = ctx.node().attr_int("axis", default_axis(ctx.opset()));
    if (!resolve_axis(axis, rank, ctx.opset()))
      return ctx.error("axis " + std::to_string(axis) + " out of range for rank " + std::to_string(rank));
  }
  return infer_same_as_input(ctx);
}

RowView row_view(const Shape& shape, int64_t axis, int64_t opset) {
  RowView v;
  const int64_t rank = static_cast<int64_t>(shape.size());
  for (int64_t d = 0; d < rank; ++d) {
    if (d < axis) v.outer *= shape[d];
    else if (d == axis || opset < 13) v.n *= shape[d];
    else v.inner *= shape[d];
  }
  return v;
}

enum class Mode { kSoftmax, kLogSoftmax, kHardmax };

// Normalizes one row of n values at stride s (max-subtracted for stability).
template <typename T>
void normalize_row(const T* x, T* y, int64_t n, int64_t s, Mode mode) {
  using C = compute_t<T>;
  C max = C(x[0]);
  int64_t arg = 0;
  for (int64_t j = 1; j < n; ++j)
    if (C(x[j * s]) > max) { max = C(x[j * s]); arg = j; }
  if (mode == Mode::kHardmax) {
    for (int64_t j = 0; j < n; ++j) y[j * s] = T(C(j == arg ? 1 : 0));
    return;
  }
  double sum = 0;
  for (int64_t j = 0; j < n; ++j) sum += std::exp(double(C(x[j * s]) - max));
  if (mode == Mode::kLogSoftmax) {
    const double log_sum = std::log(sum);
    for (int64_t j = 0; j < n; ++j) y[j * s] = T(C(double(C(x[j * s]) - max) - log_sum));
  } else {
    for (int64_t j = 0; j < n; ++j) y[j * s] = T(C(std::exp(double(C(x[j * s]) - max)) / sum));
  }
}

Status run_mode(KernelContext& ctx, Mode mode) {
  const Tensor& x = ctx.input(0);
  int64_t axis = ctx.node().attr_int("axis", default_axis(ctx.opset()));
  auto norm = resolve_axis(axis, x.rank(), ctx.opset());
  if (!norm) return ctx.error("axis " + std::to_string(axis) + " out of range for rank " + std::to_string(x.rank()));
  const RowView v = row_view(x.shape(), *norm, ctx.opset());
  if (x.numel() == 0) return Status::ok();
  bool ok = visit_float(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = x.data<T>();
    T* out = ctx.output(0).data<T>();
    for (int64_t o = 0; o < v.outer; ++o)
      for (int64_t i = 0; i < v.inner; ++i) {
        const int64_t base = o * v.n * v.inner + i;
        normalize_row(in + base, out + base, v.n, v.inner, mode);
      }
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

Status run_softmax(KernelContext& ctx) { return run_mode(ctx, Mode::kSoftmax); }
Status run_log_softmax(KernelContext& ctx) { return run_mode(ctx, Mode::kLogSoftmax); }
Status run_hardmax(KernelContext& ctx) { return run_mode(ctx, Mode::kHardmax); }

}  // namespace

EW_REGISTER_OP(.op_type = "Softmax", .infer = infer_softmax, .run = run_softmax);
EW_REGISTER_OP(.op_type = "LogSoftmax", .infer = infer_softmax, .run = run_log_softmax);
EW_REGISTER_OP(.op_type = "Hardmax", .infer = infer_softmax, .run = run_hardmax);

}  // namespace ew
