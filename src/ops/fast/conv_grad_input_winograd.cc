// ConvGradInput of a 3x3 stride-1 Conv (group 1, dilation 1) with Winograd
// F(4x4, 3x3): dX is the 3x3 stride-1 convolution of dY with the forward
// weights transposed ([C][M]) and rotated by 180°, padded by 2 - p on each
// side where the forward Conv padded by p (0 <= p <= 2). WinogradConv
// (src/ops/nn/winograd_conv.h) runs it, transforming W at every run.
// Taken where Winograd pays off against direct convolution (the thresholds of
// winograd_pays_off, with M input and C output channels).
#include <pthreadpool.h>

#include "ops/fast/prepare_util.h"
#include "ops/grad/conv_grad_geometry.h"
#include "ops/grad/grad_domain.h"
#include "ops/nn/winograd_conv.h"

namespace ew::fast {
namespace {

Prepared prepare_conv_grad_input_winograd(const PrepareContext& ctx) {
  for (int i = 0; i < 3; ++i)
    if (!is_f32(ctx, i)) return not_handled();
  const Shape dy = input_shape(ctx, 0), w = input_shape(ctx, 1), x = input_shape(ctx, 2);
  if (x.size() != 4 || ctx.node.attr_int("group", 1) != 1) return not_handled();
  auto geometry = conv_grad_shape(ctx.node, x, w, dy);
  if (!geometry.is_ok()) return not_handled();
  const ConvGradShape& s = *geometry;
  const Window3& g = s.w;
  for (int a = 1; a < 3; ++a) {
    if (g.k[a] != 3 || g.s[a] != 1 || g.d[a] != 1) return not_handled();
    if (g.pb[a] > 2 || g.pe[a] > 2) return not_handled();
  }
  WinogradConvParams p;
  p.batch = s.batch;
  p.cin = s.maps;
  p.cout = s.channels;
  p.height = g.out[1];
  p.width = g.out[2];
  p.out_height = g.in[1];
  p.out_width = g.in[2];
  p.pad_top = 2 - g.pb[1];
  p.pad_left = 2 - g.pb[2];
  p.weights_input = 1;
  p.adjoint = true;
  p.threads = ctx.threadpool ? pthreadpool_get_threads_count(ctx.threadpool) : 1;
  if (p.batch < 1 || p.cin < 1 || p.cout < 1 || p.height < 1 || p.width < 1) return not_handled();
  if (!winograd_pays_off(p)) return not_handled();
  return make_winograd_conv(p, *winograd_kernels_best());
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "ConvGradInput", .domain = kGradDomain, .name = "winograd_f4x3",
                        .prepare = prepare_conv_grad_input_winograd, .priority = 1);

}  // namespace ew::fast
