// Slice: strided sub-range per axis. Opset 1-9 take starts/ends/axes as
// attributes; from opset 10 they are inputs, with steps (possibly negative).
// Starts and ends are clamped to the axis as the ONNX spec describes.
#include <algorithm>
#include <optional>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

struct SliceSpec {
  std::vector<int64_t> starts, ends, axes, steps;  // axes normalized
};

// The slice arguments, or nullopt when some of them are unknown until run time.
template <typename Ctx>
Result<std::optional<SliceSpec>> slice_spec(const Ctx& ctx, int64_t rank) {
  EW_ASSIGN_OR_RETURN(IntsArg starts, ints_arg(ctx, "starts", 1, 10));
  EW_ASSIGN_OR_RETURN(IntsArg ends, ints_arg(ctx, "ends", 2, 10));
  EW_ASSIGN_OR_RETURN(IntsArg axes, ints_arg(ctx, "axes", 3, 10));
  EW_ASSIGN_OR_RETURN(IntsArg steps, ints_arg(ctx, "steps", 4, 10));
  if (starts.absent() || ends.absent()) return ctx.error("starts and ends are required");
  for (const IntsArg* a : {&starts, &ends, &axes, &steps})
    if (a->state == IntsArg::State::kUnknown) return std::optional<SliceSpec>{};
  const size_t n = starts.values.size();
  if (ends.values.size() != n) return ctx.error("starts and ends differ in length");
  SliceSpec s{starts.values, ends.values, axes.values, steps.values};
  if (axes.absent()) {
    if (static_cast<int64_t>(n) > rank) return ctx.error("more starts than input dims");
    for (size_t i = 0; i < n; ++i) s.axes.push_back(static_cast<int64_t>(i));
  }
  if (steps.absent()) s.steps.assign(n, 1);
  if (s.axes.size() != n || s.steps.size() != n) return ctx.error("axes and steps must match starts in length");
  EW_ASSIGN_OR_RETURN(s.axes, normalize_axes(ctx, s.axes, rank));
  for (int64_t st : s.steps)
    if (st == 0) return ctx.error("steps must not be 0");
  return std::optional<SliceSpec>(std::move(s));
}

// Clamps (start, end) to an axis of length dim; returns the first index and element count.
std::pair<int64_t, int64_t> clamp_range(int64_t dim, int64_t start, int64_t end, int64_t step) {
  if (dim == 0) return {0, 0};
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    if (end <= start) return {start, 0};
    return {start, static_cast<int64_t>(static_cast<uint64_t>(end - start - 1) / static_cast<uint64_t>(step) + 1)};
  }
  start = std::clamp<int64_t>(start, 0, dim - 1);
  end = std::clamp<int64_t>(end, -1, dim - 1);
  if (start <= end) return {start, 0};
  const uint64_t mag = static_cast<uint64_t>(-(step + 1)) + 1;
  return {start, static_cast<int64_t>(static_cast<uint64_t>(start - end - 1) / mag + 1)};
}

Status run_slice(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  EW_ASSIGN_OR_RETURN(auto spec, slice_spec(ctx, x.rank()));
  if (!spec) return ctx.error("slice arguments are unknown");
  auto in_strides = shape_strides(x.shape());
  std::vector<int64_t> strides = in_strides;
  int64_t base = 0;
  for (size_t i = 0; i < spec->axes.size(); ++i) {
    const int64_t a = spec->axes[i];
    auto [first, count] = clamp_range(x.dim(a), spec->starts[i], spec->ends[i], spec->steps[i]);
    if (count == 0) return Status::ok();
    base += first * in_strides[a];
    strides[a] = in_strides[a] * spec->steps[i];
  }
  if (!copy_strided(x, ctx.output(0), strides, base)) return ctx.error("unsupported type");
  return Status::ok();
}

Status infer_slice(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  for (int i = 1; i < 5; ++i)
    if (ctx.opset() >= 10) EW_RETURN_IF_ERROR(require_integer(ctx, i, "slice argument"));
  if (!in.has_shape) {
    ctx.set_output_dtype_only(0, in.dtype);
    return Status::ok();
  }
  const int64_t rank = static_cast<int64_t>(in.dims.size());
  EW_ASSIGN_OR_RETURN(auto spec, slice_spec(ctx, rank));
  if (!spec) {
    ctx.set_output(0, in.dtype, unknown_dims(rank));
    return Status::ok();
  }
  std::vector<Dim> out = in.dims;
  for (size_t i = 0; i < spec->axes.size(); ++i) {
    const int64_t a = spec->axes[i];
    if (!in.dims[a].known()) {
      out[a] = Dim{};
      continue;
    }
    out[a] = Dim(clamp_range(in.dims[a].value, spec->starts[i], spec->ends[i], spec->steps[i]).second);
  }
  ctx.set_output(0, in.dtype, out);
  fold_small(ctx, run_slice);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Slice", .infer = infer_slice, .run = run_slice);

}  // namespace ew
