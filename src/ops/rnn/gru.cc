// GRU, gates in zrh order:
//   z = f(X Wz^T + H Rz^T + Wbz + Rbz),  r = f(X Wr^T + H Rr^T + Wbr + Rbr)
//   h~ = g(X Wh^T + (r . H) Rh^T + Rbh + Wbh)        (linear_before_reset = 0)
//   h~ = g(X Wh^T + r . (H Rh^T + Rbh) + Wbh)        (linear_before_reset != 0)
//   H' = (1 - z) . h~ + z . H
#include "ops/rnn/rnn_common.h"

namespace ew {
namespace {

const RnnKind kGru{3, 1, {"Sigmoid", "Tanh"}};

Status infer_gru(InferContext& ctx) { return infer_rnn(ctx, kGru); }

template <typename T>
Status compute_gru(KernelContext& ctx, const RnnAttrs& a) {
  using C = compute_t<T>;
  RnnData<C> d;
  EW_RETURN_IF_ERROR((load_rnn<T, C>(ctx, kGru, a, d)));
  const bool linear_before_reset = ctx.node().attr_int("linear_before_reset", 0) != 0;
  const int64_t H = d.hidden, I = d.input;
  std::vector<C> gx(static_cast<size_t>(3 * H)), gh(static_cast<size_t>(3 * H)), rh(static_cast<size_t>(H));
  run_sequences(d, a, [&](int dir, const C* x, C* h, C*) {
    const C* wb = &d.bias[dir * 6 * H];
    const C* rb = wb + 3 * H;
    const C* r_mat = &d.r[dir * 3 * H * H];
    for (int64_t k = 0; k < 3 * H; ++k) { gx[k] = wb[k]; gh[k] = rb[k]; }
    matvec_add(&d.w[dir * 3 * H * I], 3 * H, I, x, gx.data());
    matvec_add(r_mat, 2 * H, H, h, gh.data());  // z and r rows
    const RnnActivation& f = a.act(dir, 0, 2);
    const RnnActivation& g = a.act(dir, 1, 2);
    for (int64_t k = 0; k < 2 * H; ++k) gx[k] = f(clip_value(a, gx[k] + gh[k]));  // z, r
    const C* z = gx.data();
    const C* r = gx.data() + H;
    C* hh = gh.data() + 2 * H;  // starts as Rbh
    if (linear_before_reset) {
      matvec_add(r_mat + 2 * H * H, H, H, h, hh);
      for (int64_t k = 0; k < H; ++k) hh[k] = r[k] * hh[k];
    } else {
      for (int64_t k = 0; k < H; ++k) rh[k] = r[k] * h[k];
      matvec_add(r_mat + 2 * H * H, H, H, rh.data(), hh);
    }
    for (int64_t k = 0; k < H; ++k) {
      C cand = g(clip_value(a, gx[2 * H + k] + hh[k]));
      h[k] = (C(1) - z[k]) * cand + z[k] * h[k];
    }
  });
  return store_rnn<T, C>(ctx, kGru, a, d);
}

Status run_gru(KernelContext& ctx) {
  return dispatch_rnn(ctx, kGru, [&](auto tag, const RnnAttrs& a) {
    return compute_gru<typename decltype(tag)::type>(ctx, a);
  });
}

}  // namespace

EW_REGISTER_OP(.op_type = "GRU", .infer = infer_gru, .run = run_gru);

}  // namespace ew
