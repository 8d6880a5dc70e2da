// ReduceL1: sum of absolute values over the reduced axes; axes is an input from opset 18.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

constexpr int64_t kAxesInputSince = 18;

template <typename T>
struct L1Reducer {
  using Acc = wide_t<T>;
  Acc init() const { return Acc(0); }
  void add(Acc& a, T v) const {
    Acc w = widen(v);
    if constexpr (std::is_signed_v<Acc>) {
      if (w < 0) w = wrap_sub(Acc(0), w);
    }
    a = wrap_add(a, w);
  }
  T finalize(Acc a, int64_t) const { return narrow_to<T>(a); }
};

Status infer_reduce_l1(InferContext& ctx) { return infer_reduce(ctx, kAxesInputSince, false); }
Status run_reduce_l1(KernelContext& ctx) { return run_reduce<L1Reducer>(ctx, kAxesInputSince); }

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceL1", .infer = infer_reduce_l1, .run = run_reduce_l1);

}  // namespace ew
