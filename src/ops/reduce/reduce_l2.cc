// ReduceL2: Euclidean norm over the reduced axes; axes is an input from opset 18.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

constexpr int64_t kAxesInputSince = 18;

template <typename T>
struct L2Reducer {
  using Acc = double;
  Acc init() const { return 0.0; }
  void add(Acc& a, T v) const {
    const double x = static_cast<double>(static_cast<compute_t<T>>(v));
    a += x * x;
  }
  T finalize(Acc a, int64_t) const { return from_double<T>(std::sqrt(a)); }
};

Status infer_reduce_l2(InferContext& ctx) { return infer_reduce(ctx, kAxesInputSince, false); }
Status run_reduce_l2(KernelContext& ctx) { return run_reduce<L2Reducer>(ctx, kAxesInputSince); }

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceL2", .infer = infer_reduce_l2, .run = run_reduce_l2);

}  // namespace ew
