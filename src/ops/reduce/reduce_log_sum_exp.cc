// ReduceLogSumExp: log(sum(exp(x))) over the reduced axes, computed in one
// pass with a running maximum so large inputs do not overflow; -inf for an
// empty set. Axes is an input from opset 18.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

constexpr int64_t kAxesInputSince = 18;

// Invariant: the elements seen so far have log-sum-exp  max + log(scaled).
struct LogSumExpAcc {
  double max = -std::numeric_limits<double>::infinity();
  double scaled = 0.0;
};

template <typename T>
struct LogSumExpReducer {
  using Acc = LogSumExpAcc;
  Acc init() const { return {}; }
  void add(Acc& a, T v) const {
    const double x = static_cast<double>(static_cast<compute_t<T>>(v));
    if (x > a.max) {
      a.scaled = a.scaled * std::exp(a.max - x) + 1.0;
      a.max = x;
    } else if (x == a.max) {  // also covers -inf and +inf repeated, where x - max is NaN
      a.scaled += 1.0;
    } else {
      a.scaled += std::exp(x - a.max);  // NaN x makes the result NaN
    }
  }
  T finalize(const Acc& a, int64_t) const { return from_double<T>(a.max + std::log(a.scaled)); }
};

Status infer_reduce_log_sum_exp(InferContext& ctx) { return infer_reduce(ctx, kAxesInputSince, false); }
Status run_reduce_log_sum_exp(KernelContext& ctx) { return run_reduce<LogSumExpReducer>(ctx, kAxesInputSince); }

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceLogSumExp", .infer = infer_reduce_log_sum_exp, .run = run_reduce_log_sum_exp);

}  // namespace ew
