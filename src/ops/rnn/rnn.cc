// RNN (Elman): H_t = f(X_t W^T + H_{t-1} R^T + Wb + Rb), f defaulting to Tanh.
#include "ops/rnn/rnn_common.h"

namespace ew {
namespace {

const RnnKind kRnn{1, 1, {"Tanh"}};

Status infer_rnn_op(InferContext& ctx) { return infer_rnn(ctx, kRnn); }

template <typename T>
Status compute_rnn(KernelContext& ctx, const RnnAttrs& a) {
  using C = compute_t<T>;
  RnnData<C> d;
  EW_RETURN_IF_ERROR((load_rnn<T, C>(ctx, kRnn, a, d)));
  const int64_t H = d.hidden, I = d.input;
  std::vector<C> g(static_cast<size_t>(H));
  run_sequences(d, a, [&](int dir, const C* x, C* h, C*) {
    const C* bias = &d.bias[dir * 2 * H];
    for (int64_t k = 0; k < H; ++k) g[k] = bias[k] + bias[H + k];
    matvec_add(&d.w[dir * H * I], H, I, x, g.data());
    matvec_add(&d.r[dir * H * H], H, H, h, g.data());
    const RnnActivation& f = a.act(dir, 0, 1);
    for (int64_t k = 0; k < H; ++k) h[k] = f(clip_value(a, g[k]));
  });
  return store_rnn<T, C>(ctx, kRnn, a, d);
}

Status run_rnn(KernelContext& ctx) {
  return dispatch_rnn(ctx, kRnn, [&](auto tag, const RnnAttrs& a) {
    return compute_rnn<typename decltype(tag)::type>(ctx, a);
  });
}

}  // namespace

EW_REGISTER_OP(.op_type = "RNN", .infer = infer_rnn_op, .run = run_rnn);

}  // namespace ew
