// ReduceMax: maximum over the reduced axes; NaN propagates; an empty set gives
// -inf (or the type's lowest value). Axes is an input from opset 18; bool from 20.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

constexpr int64_t kAxesInputSince = 18;

template <typename T>
struct MaxReducer {
  using Acc = compute_t<T>;
  Acc init() const {
    if constexpr (std::numeric_limits<Acc>::has_infinity) return -std::numeric_limits<Acc>::infinity();
    else return std::numeric_limits<Acc>::lowest();
  }
  void add(Acc& a, T v) const {
    const Acc x = static_cast<Acc>(v);
    if (x > a || is_nan(x)) a = x;  // once a is NaN it stays NaN
  }
  T finalize(Acc a, int64_t) const { return T(a); }
};

Status infer_reduce_max(InferContext& ctx) { return infer_reduce(ctx, kAxesInputSince, true); }
Status run_reduce_max(KernelContext& ctx) { return run_reduce<MaxReducer, true>(ctx, kAxesInputSince); }

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceMax", .infer = infer_reduce_max, .run = run_reduce_max);

}  // namespace ew
