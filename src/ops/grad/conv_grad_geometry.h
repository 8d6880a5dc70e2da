// Geometry shared by the Conv backward ops ConvGradInput and ConvGradFilter.
//
// Both carry the forward Conv's window attributes (kernel_shape, strides,
// pads, dilations, auto_pad, group) and take the forward operand they do not
// differentiate by value and the one they do "by shape" (a `like` input), so
// symbolic batch dims need no shape attribute:
//
//   ConvGradInput(dY, W, X_like)  -> dX with X_like's shape
//   ConvGradFilter(dY, X, W_like) -> dW with W_like's shape
//
// The forward window is resolved from the concrete X and W shapes exactly as
// Conv resolves it (auto_pad SAME_* / VALID included) and dY must have the
// forward output's shape [N, M, out...]. ConvTranspose's gradients reuse the
// same ops with roles swapped (src/train/rules/conv.cc).
#pragma once

#include <string>

#include "ops/grad/grad_util.h"
#include "ops/nn/conv_geometry.h"

namespace ew {

struct ConvGradShape {
  int64_t batch = 0, channels = 0, maps = 0, group = 1;
  Window3 w{};  // in: X's spatial extent, out: dY's

  int64_t channels_per_group() const { return channels / group; }
  int64_t maps_per_group() const { return maps / group; }
  int64_t in_plane() const { return w.in[0] * w.in[1] * w.in[2]; }
  int64_t out_plane() const { return w.out[0] * w.out[1] * w.out[2]; }
  // Rows of one group's im2col matrix: Cg * kD * kH * kW.
  int64_t col_rows() const { return channels_per_group() * w.k[0] * w.k[1] * w.k[2]; }
};

// The forward Conv geometry for concrete shapes of X, W and dY.
inline Result<ConvGradShape> conv_grad_shape(const Node& node, const Shape& x, const Shape& wt, const Shape& dy) {
  auto str = [](const Shape& s) { return shape_to_string(s); };
  if (x.size() < 3 || x.size() > 5)
    return unsupported("Conv gradients support 1 to 3 spatial axes, got X " + str(x));
  if (wt.size() != x.size()) return invalid_argument("W " + str(wt) + " does not match X " + str(x));
  ConvGradShape s;
  s.batch = x[0];
  s.channels = x[1];
  s.maps = wt[0];
  s.group = node.attr_int("group", 1);
  if (s.group < 1 || s.group > kMaxWindowAttr || s.channels % s.group != 0 || s.maps % s.group != 0 ||
      wt[1] * s.group != s.channels)
    return invalid_argument("group " + std::to_string(s.group) + " does not fit X " + str(x) + " and W " + str(wt));
  Shape kernel(wt.begin() + 2, wt.end());
  if (node.has_attr("kernel_shape") && node.attr_ints("kernel_shape") != kernel)
    return invalid_argument("kernel_shape does not match W " + str(wt));
  EW_ASSIGN_OR_RETURN(WindowGeometry g, read_window_geometry(node, kernel));
  Shape in(x.begin() + 2, x.end()), out{s.batch, s.maps};
  for (size_t i = 0; i < g.rank(); ++i) {
    EW_ASSIGN_OR_RETURN(int64_t o, window_output_size(g, i, in[i]));
    out.push_back(o);
  }
  if (dy != out) return invalid_argument("dY " + str(dy) + " is not the Conv output shape " + str(out));
  s.w = to_window3(g, in, Shape(out.begin() + 2, out.end()));
  return s;
}

// Shared infer: float32 inputs 0..2; output 0 takes input `like`'s type; when
// every shape is known, the geometry is checked (x, w, dy: input indices).
inline Status infer_conv_grad(InferContext& ctx, int x, int w, int like) {
  for (int i = 0; i < 3; ++i) EW_RETURN_IF_ERROR(require_f32_input(ctx, i));
  const ValueType &tx = ctx.input_type(x), &tw = ctx.input_type(w), &tdy = ctx.input_type(0);
  if (tx.fully_known() && tw.fully_known() && tdy.fully_known()) {
    auto s = conv_grad_shape(ctx.node(), tx.concrete_shape(), tw.concrete_shape(), tdy.concrete_shape());
    if (!s.is_ok()) return ctx.error(s.status().message());
  }
  return infer_like_input(ctx, like);
}

}  // namespace ew
