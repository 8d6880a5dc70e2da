// Unique: the distinct elements (or, with `axis`, distinct slices along it),
// sorted ascending (sorted=1, default) or in order of first occurrence.
// Outputs: Y, first-occurrence indices, inverse indices, counts.
#include <algorithm>
#include <cstring>
#include <numeric>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

// Input viewed as [outer, n, inner]; slices are the n middle entries.
struct SliceView {
  int64_t outer, n, inner;
};

struct Groups {
  std::vector<int64_t> first;    // first occurrence of each unique slice, in output order
  std::vector<int64_t> counts;
  std::vector<int64_t> inverse;  // output position of every input slice
};

template <typename T>
Groups group_slices(const T* p, SliceView v, bool sorted) {
  using C = compute_t<T>;
  auto less = [&](int64_t a, int64_t b) {
    for (int64_t o = 0; o < v.outer; ++o)
      for (int64_t i = 0; i < v.inner; ++i) {
        const C x = static_cast<C>(p[(o * v.n + a) * v.inner + i]), y = static_cast<C>(p[(o * v.n + b) * v.inner + i]);
        if (x < y) return true;
        if (y < x) return false;
      }
    return false;
  };
  std::vector<int64_t> order(v.n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), less);
  // Groups of equal slices in sorted order; the stable sort puts each group's first occurrence first.
  std::vector<int64_t> group_of(v.n), firsts, counts;
  for (int64_t s = 0; s < v.n; ++s) {
    if (s == 0 || less(order[s - 1], order[s])) {
      firsts.push_back(order[s]);
      counts.push_back(0);
    }
    group_of[order[s]] = static_cast<int64_t>(firsts.size()) - 1;
    ++counts.back();
  }
  std::vector<int64_t> pos(firsts.size());
  std::iota(pos.begin(), pos.end(), 0);
  if (!sorted) std::sort(pos.begin(), pos.end(), [&](int64_t a, int64_t b) { return firsts[a] < firsts[b]; });
  Groups g;
  std::vector<int64_t> rank_of(firsts.size());
  for (size_t k = 0; k < pos.size(); ++k) {
    rank_of[pos[k]] = static_cast<int64_t>(k);
    g.first.push_back(firsts[pos[k]]);
    g.counts.push_back(counts[pos[k]]);
  }
  for (int64_t s = 0; s < v.n; ++s) g.inverse.push_back(rank_of[group_of[s]]);
  return g;
}

Status write_i64(KernelContext& ctx, int i, const std::vector<int64_t>& values) {
  if (!ctx.has_output(i)) return Status::ok();
  EW_ASSIGN_OR_RETURN(Tensor* t, ctx.allocate_output(i, DType::kInt64, {static_cast<int64_t>(values.size())}));
  if (!values.empty()) std::memcpy(t->raw(), values.data(), values.size() * sizeof(int64_t));
  return Status::ok();
}

Status run_unique(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const bool has_axis = ctx.node().has_attr("axis");
  int64_t axis = 0;
  if (has_axis) {
    EW_ASSIGN_OR_RETURN(axis, axis_attr(ctx, 0, x.rank()));
  }
  const Shape shape = has_axis ? x.shape() : Shape{x.numel()};
  const SliceView v{dims_product(shape, 0, axis), shape[axis], dims_product(shape, axis + 1, shape.size())};
  const bool sorted = ctx.node().attr_int("sorted", 1) != 0;
  Groups g;
  bool ok = visit_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    g = group_slices<T>(x.data<T>(), v, sorted);
  });
  if (!ok) return ctx.error("unsupported type");
  Shape y_shape = shape;
  y_shape[axis] = static_cast<int64_t>(g.first.size());
  EW_ASSIGN_OR_RETURN(Tensor* y, ctx.allocate_output(0, x.dtype(), y_shape));
  const size_t slice = v.inner * dtype_size(x.dtype());
  const auto* src = static_cast<const uint8_t*>(x.raw());
  auto* dst = static_cast<uint8_t*>(y->raw());
  for (int64_t o = 0; o < v.outer && slice > 0; ++o)
    for (int64_t f : g.first) {
      std::memcpy(dst, src + (o * v.n + f) * slice, slice);
      dst += slice;
    }
  EW_RETURN_IF_ERROR(write_i64(ctx, 1, g.first));
  EW_RETURN_IF_ERROR(write_i64(ctx, 2, g.inverse));
  return write_i64(ctx, 3, g.counts);
}

Status infer_unique(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  const bool has_axis = ctx.node().has_attr("axis");
  for (int i = 1; i < 4; ++i) ctx.set_output(i, DType::kInt64, unknown_dims(1));
  if (!in.has_shape) {
    if (has_axis) ctx.set_output_dtype_only(0, in.dtype);
    else ctx.set_output(0, in.dtype, unknown_dims(1));
    return Status::ok();
  }
  std::vector<Dim> y{Dim{}};
  if (has_axis) {
    EW_ASSIGN_OR_RETURN(int64_t axis, axis_attr(ctx, 0, static_cast<int64_t>(in.dims.size())));
    y = in.dims;
    y[axis] = Dim{};
  }
  ctx.set_output(0, in.dtype, y);  // unique count is data-dependent: outputs are allocated in run
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Unique", .since_version = 11, .infer = infer_unique, .run = run_unique);

}  // namespace ew
