// ReduceSumSquare: sum of squares over the reduced axes; axes is an input from opset 18.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

constexpr int64_t kAxesInputSince = 18;

template <typename T>
struct SumSquareReducer {
  using Acc = wide_t<T>;
  Acc init() const { return Acc(0); }
  void add(Acc& a, T v) const {
    const Acc w = widen(v);
    a = wrap_add(a, wrap_mul(w, w));
  }
  T finalize(Acc a, int64_t) const { return narrow_to<T>(a); }
};

Status infer_reduce_sum_square(InferContext& ctx) { return infer_reduce(ctx, kAxesInputSince, false); }
Status run_reduce_sum_square(KernelContext& ctx) { return run_reduce<SumSquareReducer>(ctx, kAxesInputSince); }

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceSumSquare", .infer = infer_reduce_sum_square, .run = run_reduce_sum_square);

}  // namespace ew
