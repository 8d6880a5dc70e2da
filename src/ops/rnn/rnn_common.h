// Shared by RNN, GRU and LSTM: attributes (direction, hidden_size, activations
// with their alpha/beta, clip, layout), static shape inference, and the
// run-time data: every input converted once to the compute type C in layout 0
// ([seq, batch, ...]), outputs written back in the node's layout.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ops/op.h"

namespace ew {

enum class RnnActKind { kRelu, kTanh, kSigmoid, kAffine, kLeakyRelu, kThresholdedRelu, kScaledTanh, kHardSigmoid,
                        kElu, kSoftsign, kSoftplus };

struct RnnActivation {
  RnnActKind kind = RnnActKind::kTanh;
  float alpha = 0, beta = 0;

  template <typename C>
  C operator()(C x) const {
    const C a = static_cast<C>(alpha), b = static_cast<C>(beta);
    switch (kind) {
      case RnnActKind::kRelu: return x > C(0) ? x : C(0);
      case RnnActKind::kTanh: return std::tanh(x);
      case RnnActKind::kSigmoid: return x >= C(0) ? C(1) / (C(1) + std::exp(-x)) : std::exp(x) / (C(1) + std::exp(x));
      case RnnActKind::kAffine: return a * x + b;
      case RnnActKind::kLeakyRelu: return x >= C(0) ? x : a * x;
      case RnnActKind::kThresholdedRelu: return x > a ? x : C(0);
      case RnnActKind::kScaledTanh: return a * std::tanh(b * x);
      case RnnActKind::kHardSigmoid: return std::max(C(0), std::min(C(1), a * x + b));
      case RnnActKind::kElu: return x >= C(0) ? x : a * (std::exp(x) - C(1));
      case RnnActKind::kSoftsign: return x / (C(1) + std::abs(x));
      case RnnActKind::kSoftplus: return x > C(20) ? x : std::log1p(std::exp(x));
    }
    return x;
  }
};

// The variant-specific shape of an RNN op.
struct RnnKind {
  int gates;                               // 1 (RNN), 3 (GRU), 4 (LSTM)
  int state_outputs;                       // 1 (Y_h) or 2 (Y_h, Y_c)
  std::vector<std::string> activations;    // defaults for one direction
};

struct RnnAttrs {
  int64_t hidden = 0;
  int dirs = 1;
  bool reverse = false;  // direction == "reverse"
  bool has_clip = false;
  float clip = 0;
  int64_t layout = 0;
  std::vector<RnnActivation> acts;  // activations.size() per direction, direction-major

  const RnnActivation& act(int dir, int i, int per_dir) const { return acts[dir * per_dir + i]; }
  bool reversed(int dir) const { return reverse || dir == 1; }
};

// Parses and checks the attributes; hidden_size falls back to `hidden_from_r` (-1: unknown).
Result<RnnAttrs> read_rnn_attrs(const Node& node, int64_t opset, const RnnKind& kind, int64_t hidden_from_r);

// Validates input types and sets Y, Y_h (and Y_c) types.
Status infer_rnn(InferContext& ctx, const RnnKind& kind);

// Inputs and outputs in the compute type, layout 0.
template <typename C>
struct RnnData {
  int64_t seq = 0, batch = 0, input = 0, hidden = 0, dirs = 1;
  std::vector<C> x;            // [seq, batch, input]
  std::vector<C> w, r, bias;   // [dirs, G*H, input], [dirs, G*H, H], [dirs, 2*G*H] (zeros when absent)
  std::vector<C> h0, c0, p;    // [dirs, batch, H] x2 (zeros when absent), [dirs, 3H] (zeros when absent)
  std::vector<int64_t> lens;   // [batch]
  std::vector<C> y, yh, yc;    // [seq, dirs, batch, H], [dirs, batch, H] x2

  const C* x_row(int64_t t, int64_t b) const { return &x[(t * batch + b) * input]; }
  C* y_row(int64_t t, int64_t d, int64_t b) { return &y[((t * dirs + d) * batch + b) * hidden]; }
  int64_t state_at(int64_t d, int64_t b) const { return (d * batch + b) * hidden; }
};

// Checks the run-time shapes; returns the dims (seq, batch, input) in layout 0.
Status check_rnn_inputs(KernelContext& ctx, const RnnKind& kind, const RnnAttrs& a, int64_t dims[3]);

// out[r] += sum_c m[r, c] * v[c] for an m of `rows` x `cols`.
template <typename C>
void matvec_add(const C* m, int64_t rows, int64_t cols, const C* v, C* out) {
  for (int64_t i = 0; i < rows; ++i) {
    const C* row = m + i * cols;
    C acc = 0;
    for (int64_t j = 0; j < cols; ++j) acc += row[j] * v[j];
    out[i] += acc;
  }
}

template <typename C>
C clip_value(const RnnAttrs& a, C v) {
  if (!a.has_clip) return v;
  const C c = static_cast<C>(a.clip);
  return v < -c ? -c : (v > c ? c : v);
}

namespace rnn_detail {

template <typename T, typename C>
void load(const Tensor& t, std::vector<C>& out) {
  const T* p = t.data<T>();
  out.resize(static_cast<size_t>(t.numel()));
  for (int64_t i = 0; i < t.numel(); ++i) out[i] = static_cast<C>(static_cast<compute_t<T>>(p[i]));
}

// [n0, n1, inner] -> [n1, n0, inner]
template <typename C>
std::vector<C> swap01(const std::vector<C>& v, int64_t n0, int64_t n1, int64_t inner) {
  std::vector<C> out(v.size());
  for (int64_t a = 0; a < n0; ++a)
    for (int64_t b = 0; b < n1; ++b)
      std::copy_n(&v[(a * n1 + b) * inner], inner, &out[(b * n0 + a) * inner]);
  return out;
}

}  // namespace rnn_detail

// Loads inputs X, W, R, B, sequence_lens, initial_h (and initial_c, P for LSTM) into `d`.
template <typename T, typename C>
Status load_rnn(KernelContext& ctx, const RnnKind& kind, const RnnAttrs& a, RnnData<C>& d) {
  int64_t dims[3];
  EW_RETURN_IF_ERROR(check_rnn_inputs(ctx, kind, a, dims));
  d.seq = dims[0], d.batch = dims[1], d.input = dims[2], d.hidden = a.hidden, d.dirs = a.dirs;
  const int64_t gh = kind.gates * a.hidden, state = d.dirs * d.batch * d.hidden;
  rnn_detail::load<T>(ctx.input(0), d.x);
  if (a.layout == 1) d.x = rnn_detail::swap01(d.x, d.batch, d.seq, d.input);
  rnn_detail::load<T>(ctx.input(1), d.w);
  rnn_detail::load<T>(ctx.input(2), d.r);
  d.bias.assign(static_cast<size_t>(d.dirs * 2 * gh), C(0));
  if (ctx.has_input(3)) rnn_detail::load<T>(ctx.input(3), d.bias);
  d.lens.assign(static_cast<size_t>(d.batch), d.seq);
  if (ctx.has_input(4)) d.lens = ctx.input(4).to_int64_vector();
  for (int i = 0; i < 2; ++i) {
    std::vector<C>& s = i == 0 ? d.h0 : d.c0;
    s.assign(static_cast<size_t>(state), C(0));
    if (i == 1 && kind.state_outputs < 2) continue;
    if (!ctx.has_input(5 + i)) continue;
    rnn_detail::load<T>(ctx.input(5 + i), s);
    if (a.layout == 1) s = rnn_detail::swap01(s, d.batch, d.dirs, d.hidden);
  }
  d.p.assign(static_cast<size_t>(d.dirs * 3 * d.hidden), C(0));
  if (kind.state_outputs == 2 && ctx.has_input(7)) rnn_detail::load<T>(ctx.input(7), d.p);
  d.y.assign(static_cast<size_t>(d.seq * state), C(0));
  d.yh.assign(static_cast<size_t>(state), C(0));
  d.yc.assign(static_cast<size_t>(state), C(0));
  return Status::ok();
}

// Writes Y, Y_h (and Y_c) in the node's layout.
template <typename T, typename C>
Status store_rnn(KernelContext& ctx, const RnnKind& kind, const RnnAttrs& a, const RnnData<C>& d) {
  auto write = [&](int i, std::vector<C> v, Shape shape) -> Status {
    if (!ctx.has_output(i)) return Status::ok();
    EW_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(i, dtype_v<T>, std::move(shape)));
    T* o = out->data<T>();
    for (size_t k = 0; k < v.size(); ++k) o[k] = static_cast<T>(v[k]);
    return Status::ok();
  };
  const int64_t S = d.seq, B = d.batch, D = d.dirs, H = d.hidden;
  if (a.layout == 1) {
    EW_RETURN_IF_ERROR(write(0, rnn_detail::swap01(d.y, S * D, B, H), {B, S, D, H}));
    EW_RETURN_IF_ERROR(write(1, rnn_detail::swap01(d.yh, D, B, H), {B, D, H}));
    if (kind.state_outputs == 2) EW_RETURN_IF_ERROR(write(2, rnn_detail::swap01(d.yc, D, B, H), {B, D, H}));
    return Status::ok();
  }
  EW_RETURN_IF_ERROR(write(0, d.y, {S, D, B, H}));
  EW_RETURN_IF_ERROR(write(1, d.yh, {D, B, H}));
  if (kind.state_outputs == 2) EW_RETURN_IF_ERROR(write(2, d.yc, {D, B, H}));
  return Status::ok();
}

// Walks every direction and batch entry over its sequence:
// step(dir, x_row, h, c) updates h (and c) in place; the driver records Y, Y_h, Y_c.
template <typename C, typename Step>
void run_sequences(RnnData<C>& d, const RnnAttrs& a, Step&& step) {
  std::vector<C> h(static_cast<size_t>(d.hidden)), c(static_cast<size_t>(d.hidden));
  for (int64_t dir = 0; dir < d.dirs; ++dir) {
    for (int64_t b = 0; b < d.batch; ++b) {
      const int64_t at = d.state_at(dir, b), len = d.lens[b];
      std::copy_n(&d.h0[at], d.hidden, h.begin());
      std::copy_n(&d.c0[at], d.hidden, c.begin());
      for (int64_t s = 0; s < len; ++s) {
        const int64_t t = a.reversed(static_cast<int>(dir)) ? len - 1 - s : s;
        step(static_cast<int>(dir), d.x_row(t, b), h.data(), c.data());
        std::copy(h.begin(), h.end(), d.y_row(t, dir, b));
      }
      if (len == 0) continue;  // an empty sequence leaves Y_h and Y_c zero
      std::copy(h.begin(), h.end(), &d.yh[at]);
      std::copy(c.begin(), c.end(), &d.yc[at]);
    }
  }
}

// Reads the attributes at run time and calls fn(type_tag<T>{}, attrs) for X's float type.
template <typename Fn>
Status dispatch_rnn(KernelContext& ctx, const RnnKind& kind, Fn&& fn) {
  for (int i = 0; i < 3; ++i)
    if (!ctx.has_input(i)) return ctx.error("inputs X, W and R are required");
  const Tensor& r = ctx.input(2);
  EW_ASSIGN_OR_RETURN(RnnAttrs a, read_rnn_attrs(ctx.node(), ctx.opset(), kind, r.rank() == 3 ? r.dim(2) : -1));
  Status st;
  if (!visit_float(ctx.input(0).dtype(), [&](auto tag) { st = fn(tag, a); }))
    return ctx.error(std::string("X must be a float type, got ") + ctx.input(0).describe());
  return st;
}

}  // namespace ew
