// ArgMax, ArgMin: index of the largest / smallest element along `axis`; the
// first occurrence wins unless select_last_index (opset 12). NaN counts as the
// extreme, as in NumPy. One family: only the comparison differs.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

enum class Extreme { kMax, kMin };

template <typename T, Extreme E>
struct ArgReducer {
  using C = compute_t<T>;
  struct Acc {
    C best{};
    int64_t best_index = 0;
    int64_t index = 0;
  };
  bool select_last = false;

  bool replaces(C x, C best) const {
    if (is_nan(best)) return select_last && is_nan(x);
    if (is_nan(x)) return true;
    if (E == Extreme::kMax) return select_last ? x >= best : x > best;
    return select_last ? x <= best : x < best;
  }
  Acc init() const { return {}; }
  void add(Acc& a, T v) const {
    const C x = static_cast<C>(v);
    if (a.index == 0 || replaces(x, a.best)) {
      a.best = x;
      a.best_index = a.index;
    }
    ++a.index;
  }
  int64_t finalize(const Acc& a, int64_t) const { return a.best_index; }
};

struct ArgParams {
  int64_t axis = 0;
  bool keepdims = true;
  bool select_last = false;
};

Result<ArgParams> read_params(const Node& node, int64_t opset, int64_t rank) {
  ArgParams p;
  const int64_t axis = node.attr_int("axis", 0);
  auto a = normalize_axis(axis, rank);
  if (!a) return invalid_argument("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  p.axis = *a;
  p.keepdims = node.attr_int("keepdims", 1) != 0;
  p.select_last = opset >= 12 && node.attr_int("select_last_index", 0) != 0;
  return p;
}

std::vector<bool> axis_mask(int64_t rank, int64_t axis) {
  std::vector<bool> mask(static_cast<size_t>(rank), false);
  mask[axis] = true;
  return mask;
}

Status infer_arg(InferContext& ctx) {
  const ValueType& in = ctx.input_type(0);
  if (!ctx.has_input(0)) return ctx.error("missing input 'data'");
  if (in.dtype != DType::kUndefined && !is_float(in.dtype) && !is_integer(in.dtype))
    return ctx.error(std::string("unsupported type ") + dtype_name(in.dtype));
  if (!in.has_shape) {
    ctx.set_output_dtype_only(0, DType::kInt64);
    return Status::ok();
  }
  const int64_t rank = static_cast<int64_t>(in.dims.size());
  auto p = read_params(ctx.node(), ctx.opset(), rank);
  if (!p.is_ok()) return ctx.error(p.status().message());
  ctx.set_output(0, DType::kInt64, reduced_dims(in.dims, axis_mask(rank, p->axis), p->keepdims));
  return Status::ok();
}

template <Extreme E>
Status run_arg(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  auto p = read_params(ctx.node(), ctx.opset(), x.rank());
  if (!p.is_ok()) return ctx.error(p.status().message());
  Tensor& out = ctx.output(0);
  if (x.dim(p->axis) == 0 && out.numel() > 0) return ctx.error("cannot take the arg-extreme of an empty axis");
  const ReducePlan plan = make_reduce_plan(x.shape(), axis_mask(x.rank(), p->axis));
  bool ok = visit_numeric(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    ArgReducer<T, E> r;
    r.select_last = p->select_last;
    reduce_kernel<T, int64_t>(x, out, plan, r);
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "ArgMax", .infer = infer_arg, .run = run_arg<Extreme::kMax>);
EW_REGISTER_OP(.op_type = "ArgMin", .infer = infer_arg, .run = run_arg<Extreme::kMin>);

}  // namespace ew
