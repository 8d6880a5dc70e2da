// Split: cuts the input along `axis` into the outputs. Sizes come from the
// `split` attribute (before opset 13) or input (from 13); otherwise equal parts,
// where from opset 18 `num_outputs` allows a smaller last chunk.
#include <cstring>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

// Sizes of the parts along a known axis length `dim`.
template <typename Ctx>
Result<std::vector<int64_t>> split_sizes(const Ctx& ctx, const IntsArg& split, int64_t dim) {
  const int64_t n = ctx.num_outputs();
  if (split.known()) {
    if (static_cast<int64_t>(split.values.size()) != n)
      return ctx.error("split has " + std::to_string(split.values.size()) + " sizes for " + std::to_string(n) + " outputs");
    int64_t sum = 0;
    for (int64_t s : split.values) {
      if (s < 0) return ctx.error("split sizes must be non-negative");
      sum += s;
    }
    if (dim >= 0 && sum != dim)
      return ctx.error("split sizes sum to " + std::to_string(sum) + ", axis has " + std::to_string(dim));
    return split.values;
  }
  if (dim < 0) return std::vector<int64_t>(n, -1);
  const bool uneven = ctx.opset() >= 18 && ctx.node().has_attr("num_outputs");
  if (uneven && ctx.node().attr_int("num_outputs", 0) != n)
    return ctx.error("num_outputs does not match the node's " + std::to_string(n) + " outputs");
  if (!uneven && dim % n != 0)
    return ctx.error("axis of size " + std::to_string(dim) + " cannot be split into " + std::to_string(n) + " equal parts");
  const int64_t chunk = (dim + n - 1) / n;
  std::vector<int64_t> sizes(n, chunk);
  sizes.back() = dim - chunk * (n - 1);
  if (sizes.back() < 0)
    return ctx.error("axis of size " + std::to_string(dim) + " cannot be split into " + std::to_string(n) + " chunks");
  return sizes;
}

Status run_split(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, 0, x.rank()));
  const int64_t outer = dims_product(x.shape(), 0, axis);
  const size_t elem = dtype_size(x.dtype());
  const int64_t in_row = dims_product(x.shape(), axis, x.rank()) * elem;
  const int64_t inner = dims_product(x.shape(), axis + 1, x.rank()) * elem;
  EW_ASSIGN_OR_RETURN(IntsArg split, ints_arg(ctx, "split", 1, 13));
  EW_ASSIGN_OR_RETURN(auto sizes, split_sizes(ctx, split, x.dim(axis)));
  const auto* src = static_cast<const uint8_t*>(x.raw());
  int64_t col = 0;
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    const int64_t row = sizes[i] * inner;
    Tensor& out = ctx.output(i);
    if (!ctx.has_output(i) || !out.defined()) {
      col += row;
      continue;
    }
    auto* dst = static_cast<uint8_t*>(out.raw());
    if (row > 0)
      for (int64_t o = 0; o < outer; ++o) std::memcpy(dst + o * row, src + o * in_row + col, row);
    col += row;
  }
  return Status::ok();
}

Status infer_split(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  EW_ASSIGN_OR_RETURN(IntsArg split, ints_arg(ctx, "split", 1, 13));
  if (ctx.num_outputs() < 1) return ctx.error("Split needs at least one output");
  if (!in.has_shape) {
    for (int i = 0; i < ctx.num_outputs(); ++i) ctx.set_output_dtype_only(i, in.dtype);
    return Status::ok();
  }
  EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, 0, static_cast<int64_t>(in.dims.size())));
  std::vector<int64_t> sizes(ctx.num_outputs(), -1);
  if (split.state != IntsArg::State::kUnknown) {
    const Dim& d = in.dims[axis];
    EW_ASSIGN_OR_RETURN(sizes, split_sizes(ctx, split, d.known() ? d.value : -1));
  }
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    std::vector<Dim> dims = in.dims;
    dims[axis] = sizes[i] >= 0 ? Dim(sizes[i]) : Dim{};
    ctx.set_output(i, in.dtype, dims);
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Split", .infer = infer_split, .run = run_split);

}  // namespace ew
