// ReduceMean: arithmetic mean over the reduced axes (NaN for an empty set of
// floats, 0 for integers); axes is an input from opset 18.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

constexpr int64_t kAxesInputSince = 18;

template <typename T>
struct MeanReducer {
  using Acc = wide_t<T>;
  Acc init() const { return Acc(0); }
  void add(Acc& a, T v) const { a = wrap_add(a, widen(v)); }
  T finalize(Acc a, int64_t count) const {
    if constexpr (std::is_floating_point_v<Acc>) {
      return narrow_to<T>(count == 0 ? std::numeric_limits<double>::quiet_NaN() : a / static_cast<double>(count));
    } else {
      return count == 0 ? T(0) : narrow_to<T>(a / static_cast<Acc>(count));
    }
  }
};

Status infer_reduce_mean(InferContext& ctx) { return infer_reduce(ctx, kAxesInputSince, false); }
Status run_reduce_mean(KernelContext& ctx) { return run_reduce<MeanReducer>(ctx, kAxesInputSince); }

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceMean", .infer = infer_reduce_mean, .run = run_reduce_mean);

}  // namespace ew
