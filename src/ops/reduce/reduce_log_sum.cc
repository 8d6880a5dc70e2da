// ReduceLogSum: log of the sum over the reduced axes (-inf for an empty set);
// axes is an input from opset 18.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

constexpr int64_t kAxesInputSince = 18;

template <typename T>
struct LogSumReducer {
  using Acc = double;
  Acc init() const { return 0.0; }
  void add(Acc& a, T v) const { a += static_cast<double>(static_cast<compute_t<T>>(v)); }
  T finalize(Acc a, int64_t) const { return from_double<T>(std::log(a)); }
};

Status infer_reduce_log_sum(InferContext& ctx) { return infer_reduce(ctx, kAxesInputSince, false); }
Status run_reduce_log_sum(KernelContext& ctx) { return run_reduce<LogSumReducer>(ctx, kAxesInputSince); }

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceLogSum", .infer = infer_reduce_log_sum, .run = run_reduce_log_sum);

}  // namespace ew
