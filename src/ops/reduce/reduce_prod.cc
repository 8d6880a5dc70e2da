// ReduceProd: product over the reduced axes (1 for an empty set); axes is an input from opset 18.
#include "ops/reduce/reduction.h"

namespace ew {
namespace {

constexpr int64_t kAxesInputSince = 18;

template <typename T>
struct ProdReducer {
  using Acc = wide_t<T>;
  Acc init() const { return Acc(1); }
  void add(Acc& a, T v) const { a = wrap_mul(a, widen(v)); }
  T finalize(Acc a, int64_t) const { return narrow_to<T>(a); }
};

Status infer_reduce_prod(InferContext& ctx) { return infer_reduce(ctx, kAxesInputSince, false); }
Status run_reduce_prod(KernelContext& ctx) { return run_reduce<ProdReducer>(ctx, kAxesInputSince); }

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceProd", .infer = infer_reduce_prod, .run = run_reduce_prod);

}  // namespace ew
