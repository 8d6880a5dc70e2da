// LSTM, gates in iofc order, peepholes P in iof order:
//   i = f(X Wi^T + H Ri^T + Pi . C + Wbi + Rbi)
//   f = f(X Wf^T + H Rf^T + Pf . C + Wbf + Rbf)     (1 - i with input_forget)
//   c = g(X Wc^T + H Rc^T + Wbc + Rbc)
//   C' = f . C + i . c
//   o = f(X Wo^T + H Ro^T + Po . C' + Wbo + Rbo)
//   H' = o . h(C')
#include "ops/rnn/rnn_common.h"

namespace ew {
namespace {

const RnnKind kLstm{4, 2, {"Sigmoid", "Tanh", "Tanh"}};

Status infer_lstm(InferContext& ctx) { return infer_rnn(ctx, kLstm); }

template <typename T>
Status compute_lstm(KernelContext& ctx, const RnnAttrs& a) {
  using C = compute_t<T>;
  RnnData<C> d;
  EW_RETURN_IF_ERROR((load_rnn<T, C>(ctx, kLstm, a, d)));
  const bool input_forget = ctx.node().attr_int("input_forget", 0) != 0;
  const int64_t H = d.hidden, I = d.input;
  std::vector<C> gates(static_cast<size_t>(4 * H));
  run_sequences(d, a, [&](int dir, const C* x, C* h, C* c) {
    const C* wb = &d.bias[dir * 8 * H];
    const C* rb = wb + 4 * H;
    for (int64_t k = 0; k < 4 * H; ++k) gates[k] = wb[k] + rb[k];
    matvec_add(&d.w[dir * 4 * H * I], 4 * H, I, x, gates.data());
    matvec_add(&d.r[dir * 4 * H * H], 4 * H, H, h, gates.data());
    const C* pi = &d.p[dir * 3 * H];
    const C* po = pi + H;
    const C* pf = pi + 2 * H;
    const RnnActivation& f = a.act(dir, 0, 3);
    const RnnActivation& g = a.act(dir, 1, 3);
    const RnnActivation& hact = a.act(dir, 2, 3);
    for (int64_t k = 0; k < H; ++k) {
      C in = f(clip_value(a, gates[k] + pi[k] * c[k]));
      C forget = input_forget ? C(1) - in : f(clip_value(a, gates[2 * H + k] + pf[k] * c[k]));
      C cand = g(clip_value(a, gates[3 * H + k]));
      c[k] = forget * c[k] + in * cand;
      C out = f(clip_value(a, gates[H + k] + po[k] * c[k]));
      h[k] = out * hact(c[k]);
    }
  });
  return store_rnn<T, C>(ctx, kLstm, a, d);
}

Status run_lstm(KernelContext& ctx) {
  return dispatch_rnn(ctx, kLstm, [&](auto tag, const RnnAttrs& a) {
    return compute_lstm<typename decltype(tag)::type>(ctx, a);
  });
}

}  // namespace

EW_REGISTER_OP(.op_type = "LSTM", .infer = infer_lstm, .run = run_lstm);

}  // namespace ew
