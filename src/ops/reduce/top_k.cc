// TopK: the k largest (or smallest, opset 11) elements along `axis` and their
// indices, in sorted order; ties keep the smaller index first and NaN ranks
// above every number. k is an attribute before opset 10, input 1 after.
#include <algorithm>

#include "ops/reduce/reduction.h"

namespace ew {
namespace {

struct TopKParams {
  int64_t axis = 0;
  bool k_known = true;
  int64_t k = 0;
  bool largest = true;
};

Result<TopKParams> read_params(const Node& node, int64_t opset, int64_t rank, bool k_present, const Tensor* k_value) {
  TopKParams p;
  const int64_t axis = node.attr_int("axis", -1);
  auto a = normalize_axis(axis, rank);
  if (!a) return invalid_argument("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  p.axis = *a;
  p.largest = opset < 11 || node.attr_int("largest", 1) != 0;
  if (opset < 10) {
    if (!node.has_attr("k")) return invalid_argument("missing attribute 'k'");
    p.k = node.attr_int("k", 0);
  } else if (!k_present) {
    return invalid_argument("missing input 'K'");
  } else if (!k_value) {
    p.k_known = false;
    return p;
  } else {
    if (!is_integer(k_value->dtype()) || k_value->rank() > 1 || k_value->numel() != 1)
      return invalid_argument("K must be a 1-D int64 tensor with one element, got " + k_value->describe());
    p.k = k_value->get_int64(0);
  }
  if (p.k < 0) return invalid_argument("k must be non-negative, got " + std::to_string(p.k));
  return p;
}

Status check_k(const InferContext& ctx, const TopKParams& p, const Dim& axis_dim) {
  if (p.k_known && axis_dim.known() && p.k > axis_dim.value)
    return ctx.error("k = " + std::to_string(p.k) + " exceeds the axis dimension " + std::to_string(axis_dim.value));
  return Status::ok();
}

Status infer_top_k(InferContext& ctx) {
  if (!ctx.has_input(0)) return ctx.error("missing input 'X'");
  const ValueType& in = ctx.input_type(0);
  if (in.dtype != DType::kUndefined && !is_float(in.dtype) && !is_integer(in.dtype))
    return ctx.error(std::string("unsupported type ") + dtype_name(in.dtype));
  if (!in.has_shape) {
    ctx.set_output_dtype_only(0, in.dtype);
    ctx.set_output_dtype_only(1, DType::kInt64);
    return Status::ok();
  }
  auto p = read_params(ctx.node(), ctx.opset(), static_cast<int64_t>(in.dims.size()), ctx.has_input(1),
                       ctx.input_value(1));
  if (!p.is_ok()) return ctx.error(p.status().message());
  EW_RETURN_IF_ERROR(check_k(ctx, *p, in.dims[p->axis]));
  std::vector<Dim> dims = in.dims;
  dims[p->axis] = p->k_known ? Dim(p->k) : Dim();
  ctx.set_output(0, in.dtype, dims);
  ctx.set_output(1, DType::kInt64, dims);
  return Status::ok();
}

// NaN-aware strict weak order: NaN is above every number and equal to NaN.
template <typename C>
bool above(C x, C y) {
  return is_nan(y) ? false : (is_nan(x) || x > y);
}

template <typename T>
void top_k(const Tensor& x, Tensor& values, Tensor& indices, int64_t axis, int64_t k, bool largest) {
  using C = compute_t<T>;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int64_t d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  const int64_t n = x.dim(axis);
  const T* px = x.data<T>();
  T* pv = values.data<T>();
  int64_t* pi = indices.data<int64_t>();
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T* row = px + o * n * inner + i;
      auto value = [&](int64_t j) { return static_cast<C>(row[j * inner]); };
      auto before = [&](int64_t a, int64_t b) {
        const C va = value(a), vb = value(b);
        const bool a_first = largest ? above(va, vb) : above(vb, va);
        const bool b_first = largest ? above(vb, va) : above(va, vb);
        return a_first || (!b_first && a < b);
      };
      for (int64_t j = 0; j < n; ++j) order[j] = j;
      std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
      const int64_t out_base = o * k * inner + i;
      for (int64_t j = 0; j < k; ++j) {
        pv[out_base + j * inner] = row[order[j] * inner];
        pi[out_base + j * inner] = order[j];
      }
    }
  }
}

// Output i, or a scratch tensor when the node leaves that output out.
Result<Tensor*> output_or_scratch(KernelContext& ctx, int i, DType dtype, const Shape& shape, Tensor& scratch) {
  if (ctx.has_output(i)) {
    if (ctx.output(i).defined()) return &ctx.output(i);
    return ctx.allocate_output(i, dtype, shape);
  }
  auto t = Tensor::create(dtype, shape);
  if (!t.is_ok()) return ctx.error(t.status().message());
  scratch = std::move(t).value();
  return &scratch;
}

Status run_top_k(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor* k_value = ctx.has_input(1) ? &ctx.input(1) : nullptr;
  auto p = read_params(ctx.node(), ctx.opset(), x.rank(), k_value != nullptr, k_value);
  if (!p.is_ok()) return ctx.error(p.status().message());
  if (p->k > x.dim(p->axis))
    return ctx.error("k = " + std::to_string(p->k) + " exceeds the axis dimension " + std::to_string(x.dim(p->axis)));
  Shape shape = x.shape();
  shape[p->axis] = p->k;
  Tensor scratch_values, scratch_indices;
  EW_ASSIGN_OR_RETURN(Tensor * values, output_or_scratch(ctx, 0, x.dtype(), shape, scratch_values));
  EW_ASSIGN_OR_RETURN(Tensor * indices, output_or_scratch(ctx, 1, DType::kInt64, shape, scratch_indices));
  bool ok = visit_numeric(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    top_k<T>(x, *values, *indices, p->axis, p->k, p->largest);
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "TopK", .infer = infer_top_k, .run = run_top_k);

}  // namespace ew
