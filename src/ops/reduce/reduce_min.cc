// ReduceMin: minimum over the reduced axes; NaN propagates; an empty set gives
// +inf (or the type's largest value). Axes is an input from opset 18; bool from 20.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

constexpr int64_t kAxesInputSince = 18;

template <typename T>
struct MinReducer {
  using Acc = compute_t<T>;
  Acc init() const {
    if constexpr (std::numeric_limits<Acc>::has_infinity) return std::numeric_limits<Acc>::infinity();
    else return std::numeric_limits<Acc>::max();
  }
  void add(Acc& a, T v) const {
    const Acc x = static_cast<Acc>(v);
    if (x < a || is_nan(x)) a = x;  // once a is NaN it stays NaN
  }
  T finalize(Acc a, int64_t) const { return T(a); }
};

Status infer_reduce_min(InferContext& ctx) { return infer_reduce(ctx, kAxesInputSince, true); }
Status run_reduce_min(KernelContext& ctx) { return run_reduce<MinReducer, true>(ctx, kAxesInputSince); }

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceMin", .infer = infer_reduce_min, .run = run_reduce_min);

}  // namespace ew
