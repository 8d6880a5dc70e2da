// SliceGrad(dY, like, starts, ends[, axes, steps]) -> dX: the gradient of
// Slice (opset >= 10 form; the rule turns the attributes of older opsets into
// constant inputs): zeros of like's shape with dY written at the positions the
// slice read. starts/ends/axes/steps are the forward's integer inputs and are
// read as Slice reads them: negative values count from the end, starts and
// ends are clamped to the axis, steps may be negative but not 0.
#include <algorithm>
#include <vector>

#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

Status infer_slice_grad(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  if (!ctx.has_input(2) || !ctx.has_input(3)) return ctx.error("starts and ends are required");
  for (int i = 2; i < 6; ++i) {
    DType t = ctx.input_type(i).dtype;
    if (ctx.has_input(i) && t != DType::kUndefined && t != DType::kInt32 && t != DType::kInt64)
      return ctx.error("input " + std::to_string(i) + " must be an int32 or int64 tensor");
  }
  return infer_like_input(ctx, 1);
}

// First index and element count of (start, end, step) on an axis of length dim (Slice's clamping).
std::pair<int64_t, int64_t> clamp_range(int64_t dim, int64_t start, int64_t end, int64_t step) {
  if (dim == 0) return {0, 0};
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    return {start, end <= start ? 0 : (end - start - 1) / step + 1};
  }
  start = std::clamp<int64_t>(start, 0, dim - 1);
  end = std::clamp<int64_t>(end, -1, dim - 1);
  if (start <= end) return {start, 0};
  const uint64_t mag = static_cast<uint64_t>(-(step + 1)) + 1;
  return {start, static_cast<int64_t>(static_cast<uint64_t>(start - end - 1) / mag + 1)};
}

// Per axis of X: the first index read and the step (0 and 1 where not sliced).
Status slice_layout(const KernelContext& ctx, const Shape& x, std::vector<int64_t>& first, std::vector<int64_t>& step,
                    Shape& out) {
  const int64_t rank = static_cast<int64_t>(x.size());
  std::vector<int64_t> args[4];
  for (int i = 0; i < 4; ++i) {
    if (!ctx.has_input(2 + i)) continue;
    const Tensor& t = ctx.input(2 + i);
    if ((t.dtype() != DType::kInt32 && t.dtype() != DType::kInt64) || t.rank() > 1)
      return ctx.error("input " + std::to_string(2 + i) + " must be a 1-D integer tensor, got " + t.describe());
    args[i] = t.to_int64_vector();
  }
  const size_t n = args[0].size();
  if (args[1].size() != n) return ctx.error("starts and ends differ in length");
  if (!ctx.has_input(4))
    for (size_t i = 0; i < n; ++i) args[2].push_back(static_cast<int64_t>(i));
  if (!ctx.has_input(5)) args[3].assign(n, 1);
  if (args[2].size() != n || args[3].size() != n) return ctx.error("axes and steps must match starts in length");
  first.assign(x.size(), 0);
  step.assign(x.size(), 1);
  out = x;
  std::vector<bool> seen(x.size(), false);
  for (size_t i = 0; i < n; ++i) {
    auto a = normalize_axis(args[2][i], rank);
    if (!a || seen[*a]) return ctx.error("axis " + std::to_string(args[2][i]) + " is out of range or repeated");
    if (args[3][i] == 0) return ctx.error("steps must not be 0");
    seen[*a] = true;
    auto [f, count] = clamp_range(x[*a], args[0][i], args[1][i], args[3][i]);
    first[*a] = f;
    step[*a] = args[3][i];
    out[*a] = count;
  }
  return Status::ok();
}

Status run_slice_grad(KernelContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  if (!ctx.has_input(1) || !ctx.has_input(2) || !ctx.has_input(3)) return ctx.error("needs dY, like, starts and ends");
  const Tensor& dy = ctx.input(0);
  const Shape& x = ctx.input(1).shape();
  std::vector<int64_t> first, step;
  Shape out;
  EW_RETURN_IF_ERROR(slice_layout(ctx, x, first, step, out));
  if (dy.shape() != out)
    return ctx.error("dY " + dy.describe() + " is not the Slice output shape " + shape_to_string(out));
  float* dx = ctx.output(0).data<float>();
  std::fill(dx, dx + ctx.output(0).numel(), 0.0f);
  if (dy.numel() == 0) return Status::ok();
  const int64_t rank = static_cast<int64_t>(x.size());
  if (rank == 0) return ctx.error("X must have rank >= 1");
  const std::vector<int64_t> xs = shape_strides(x);
  int64_t base = 0;
  std::vector<int64_t> stride(x.size());  // X offset per dY step along each axis
  for (int64_t d = 0; d < rank; ++d) {
    base += first[d] * xs[d];
    stride[d] = step[d] * xs[d];
  }
  const float* g = dy.data<float>();
  const int64_t last = out[rank - 1], rows = dy.numel() / last;
  std::vector<int64_t> pos(x.size(), 0);
  for (int64_t r = 0; r < rows; ++r) {
    int64_t off = base;
    for (int64_t d = 0; d + 1 < rank; ++d) off += pos[d] * stride[d];
    for (int64_t i = 0; i < last; ++i) dx[off + i * stride[rank - 1]] = g[r * last + i];
    for (int64_t d = rank - 2; d >= 0 && ++pos[d] == out[d]; --d) pos[d] = 0;
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "SliceGrad", .domain = kGradDomain, .infer = infer_slice_grad, .run = run_slice_grad);

}  // namespace ew
