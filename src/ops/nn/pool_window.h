// Window enumeration shared by MaxPool, AveragePool and LpPool. Per spatial
// axis, the input positions each output position reads are precomputed once;
// a window is their cartesian product. Padding is never read.
#pragma once

#include <vector>

#include "ops/nn/conv_geometry.h"

namespace ew {

// Input positions along one axis read by each output position.
struct AxisTaps {
  std::vector<int64_t> begin;     // per output position, index into pos (size out + 1)
  std::vector<int64_t> pos;       // valid input positions
  std::vector<int64_t> padded;    // per output position: taps inside input + pads (count_include_pad)

  AxisTaps(int64_t in, int64_t out, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe) {
    for (int64_t o = 0; o < out; ++o) {
      begin.push_back(static_cast<int64_t>(pos.size()));
      int64_t count = 0;
      for (int64_t t = 0; t < k; ++t) {
        int64_t p = o * s - pb + t * d;
        if (p < in + pe) ++count;
        if (p >= 0 && p < in) pos.push_back(p);
      }
      padded.push_back(count);
    }
    begin.push_back(static_cast<int64_t>(pos.size()));
  }
};

// Calls fn(plane, out_offset, offsets, n, padded_count) for every output
// position of every plane; offsets[0..n) are the in-plane input offsets of
// the window and padded_count the window size counting pads.
template <typename Fn>
void for_each_window(const Window3& w, int64_t planes, Fn&& fn) {
  AxisTaps ad(w.in[0], w.out[0], w.k[0], w.s[0], w.d[0], w.pb[0], w.pe[0]);
  AxisTaps ah(w.in[1], w.out[1], w.k[1], w.s[1], w.d[1], w.pb[1], w.pe[1]);
  AxisTaps aw(w.in[2], w.out[2], w.k[2], w.s[2], w.d[2], w.pb[2], w.pe[2]);
  std::vector<int64_t> offsets(static_cast<size_t>(w.k[0] * w.k[1] * w.k[2]));
  for (int64_t p = 0; p < planes; ++p) {
    int64_t out = 0;
    for (int64_t od = 0; od < w.out[0]; ++od)
      for (int64_t oh = 0; oh < w.out[1]; ++oh)
        for (int64_t ow = 0; ow < w.out[2]; ++ow, ++out) {
          int64_t n = 0;
          for (int64_t i = ad.begin[od]; i < ad.begin[od + 1]; ++i)
            for (int64_t j = ah.begin[oh]; j < ah.begin[oh + 1]; ++j) {
              const int64_t row = (ad.pos[i] * w.in[1] + ah.pos[j]) * w.in[2];
              for (int64_t l = aw.begin[ow]; l < aw.begin[ow + 1]; ++l) offsets[n++] = row + aw.pos[l];
            }
          fn(p, out, offsets.data(), n, ad.padded[od] * ah.padded[oh] * aw.padded[ow]);
        }
  }
}

// Reads pooling geometry (kernel_shape required) for input type x and sets
// output 0 (and 1 when present, as int64) to [N, C, out...].
inline Status infer_pool(InferContext& ctx, bool allow_ceil) {
  const ValueType& x = ctx.input_type(0);
  if (!x.has_shape) {
    ctx.set_output_dtype_only(0, x.dtype);
    if (ctx.has_output(1)) ctx.set_output_dtype_only(1, DType::kInt64);
    return Status::ok();
  }
  if (x.dims.size() < 3) return ctx.error("X must have rank >= 3");
  std::vector<int64_t> kernel = ctx.node().attr_ints("kernel_shape");
  if (kernel.size() != x.dims.size() - 2) return ctx.error("kernel_shape must have one value per spatial axis");
  auto g = read_window_geometry(ctx.node(), kernel);
  if (!g.is_ok()) return g.status().with_context("node " + ctx.node().label() + ": ");
  if (!allow_ceil) g->ceil_mode = false;
  auto dims = window_output_dims(*g, std::vector<Dim>(x.dims.begin() + 2, x.dims.end()));
  if (!dims.is_ok()) return dims.status().with_context("node " + ctx.node().label() + ": ");
  std::vector<Dim> out{x.dims[0], x.dims[1]};
  out.insert(out.end(), dims->begin(), dims->end());
  ctx.set_output(0, x.dtype, out);
  if (ctx.has_output(1)) ctx.set_output(1, DType::kInt64, out);
  return Status::ok();
}

// Resolved geometry of a pooling node for a concrete input.
inline Result<Window3> pool_window(const Node& node, const Tensor& x, bool allow_ceil) {
  if (x.rank() < 3 || x.rank() > 5) return unsupported("pooling supports 1 to 3 spatial axes, got X " + x.describe());
  std::vector<int64_t> kernel = node.attr_ints("kernel_shape");
  if (static_cast<int64_t>(kernel.size()) != x.rank() - 2)
    return invalid_argument("kernel_shape must have one value per spatial axis");
  EW_ASSIGN_OR_RETURN(WindowGeometry g, read_window_geometry(node, kernel));
  if (!allow_ceil) g.ceil_mode = false;
  Shape in(x.shape().begin() + 2, x.shape().end()), out;
  for (size_t i = 0; i < g.rank(); ++i) {
    EW_ASSIGN_OR_RETURN(int64_t o, window_output_size(g, i, in[i]));
    out.push_back(o);
  }
  return to_window3(g, in, out);
}

}  // namespace ew
