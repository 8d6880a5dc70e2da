// ReduceSum: sum over the reduced axes; axes is an input from opset 13.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

constexpr int64_t kAxesInputSince = 13;

template <typename T>
struct SumReducer {
  using Acc = wide_t<T>;
  Acc init() const { return Acc(0); }
  void add(Acc& a, T v) const { a = wrap_add(a, widen(v)); }
  T finalize(Acc a, int64_t) const { return narrow_to<T>(a); }
};

Status infer_reduce_sum(InferContext& ctx) { return infer_reduce(ctx, kAxesInputSince, false); }
Status run_reduce_sum(KernelContext& ctx) { return run_reduce<SumReducer>(ctx, kAxesInputSince); }

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceSum", .infer = infer_reduce_sum, .run = run_reduce_sum);

}  // namespace ew
