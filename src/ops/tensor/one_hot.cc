// OneHot: inserts a dim of size `depth` at `axis`; the entry at each index is
// values[1] (on), the rest values[0] (off). Negative indices count from depth;
// indices outside [-depth, depth) give an all-off row.
#include <algorithm>
#include <cmath>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

template <typename Ctx>
Result<int64_t> one_hot_depth(const Ctx& ctx, const Tensor& depth) {
  if (depth.numel() != 1 || depth.rank() > 1) return ctx.error("depth must be a scalar, got " + depth.describe());
  const double d = depth.get_double(0);
  if (!(d >= 1) || d > 1e15) return ctx.error("depth must be positive, got " + std::to_string(d));
  return static_cast<int64_t>(d);
}

template <typename W>
void fill_one_hot(const std::vector<int64_t>& idx, const Tensor& values, Tensor& out, int64_t depth, int64_t inner) {
  const W off = values.data<W>()[0], on = values.data<W>()[1];
  W* dst = out.data<W>();
  for (int64_t i = 0; i < out.numel(); ++i) dst[i] = off;
  for (int64_t p = 0; p < static_cast<int64_t>(idx.size()); ++p) {
    int64_t v = idx[p];
    if (v < 0) v += depth;
    if (v < 0 || v >= depth) continue;
    const int64_t o = p / inner, i = p % inner;
    dst[(o * depth + v) * inner + i] = on;
  }
}

Status run_one_hot(KernelContext& ctx) {
  const Tensor& indices = ctx.input(0);
  const Tensor& values = ctx.input(2);
  EW_ASSIGN_OR_RETURN(int64_t depth, one_hot_depth(ctx, ctx.input(1)));
  if (values.numel() != 2) return ctx.error("values must hold [off, on], got " + values.describe());
  EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, -1, indices.rank() + 1));
  const int64_t inner = dims_product(indices.shape(), axis, indices.rank());
  std::vector<int64_t> idx(indices.numel());
  for (int64_t i = 0; i < indices.numel(); ++i) {
    const double v = indices.get_double(i);  // float indices are truncated
    idx[i] = std::isfinite(v) && std::fabs(v) < 9e18 ? static_cast<int64_t>(v) : -depth - 1;
  }
  Tensor& out = ctx.output(0);
  bool ok = visit_word(values.dtype(), [&](auto tag) {
    fill_one_hot<typename decltype(tag)::type>(idx, values, out, depth, std::max<int64_t>(inner, 1));
  });
  return ok ? Status::ok() : ctx.error("unsupported type");
}

Status infer_one_hot(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 3));
  const ValueType& ind = ctx.input_type(0);
  const DType vt = ctx.input_type(2).dtype;
  if (!ind.has_shape) {
    ctx.set_output_dtype_only(0, vt);
    return Status::ok();
  }
  const int64_t rank = static_cast<int64_t>(ind.dims.size()) + 1;
  EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, -1, rank));
  Dim depth;
  if (const Tensor* d = ctx.input_value(1)) {
    EW_ASSIGN_OR_RETURN(int64_t n, one_hot_depth(ctx, *d));
    depth = Dim(n);
  }
  std::vector<Dim> out = ind.dims;
  out.insert(out.begin() + axis, depth);
  ctx.set_output(0, vt, out);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "OneHot", .since_version = 9, .infer = infer_one_hot, .run = run_one_hot);

}  // namespace ew
