// ConvGradInput(dY, W, X_like) -> dX: the gradient of Conv with respect to its
// input (attributes of the forward Conv; see conv_grad_geometry.h). Per image
// and group, col = W_gᵀ · dY_g (sgemm, W transposed through strides), then
// col2im adds every column entry back into the input position it was read
// from; positions no window reads get zero.
#include <algorithm>
#include <vector>

#include "ops/fast/sgemm.h"
#include "ops/grad/conv_grad_geometry.h"
#include "ops/grad/grad_domain.h"
#include "ops/nn/im2col.h"

namespace ew {
namespace {

Status infer_conv_grad_input(InferContext& ctx) { return infer_conv_grad(ctx, 2, 1, 2); }

Status run_conv_grad_input(KernelContext& ctx) {
  for (int i = 0; i < 3; ++i) EW_RETURN_IF_ERROR(require_f32_input(ctx, i));
  const Tensor &dy = ctx.input(0), &wt = ctx.input(1);
  auto shape = conv_grad_shape(ctx.node(), ctx.input(2).shape(), wt.shape(), dy.shape());
  if (!shape.is_ok()) return ctx.error(shape.status().message());
  const ConvGradShape& s = *shape;
  Tensor& dx = ctx.output(0);
  if (dx.shape() != ctx.input(2).shape()) return ctx.error("dX was not allocated with X's shape");
  float* out = dx.data<float>();
  std::fill(out, out + dx.numel(), 0.0f);
  const int64_t Cg = s.channels_per_group(), Mg = s.maps_per_group(), K = s.col_rows();
  const int64_t P = s.out_plane(), plane = s.in_plane();
  if (K == 0 || P == 0 || Mg == 0) return Status::ok();
  std::vector<float> packed(static_cast<size_t>(fast::packed_b_size(Mg, P))), col(static_cast<size_t>(K * P));
  fast::SgemmShape g;  // col[K, P] = W_gᵀ[K, Mg] · dY_g[Mg, P]
  g.M = K;
  g.N = P;
  g.K = Mg;
  g.rsa = 1;
  g.csa = K;
  g.ldc = P;
  for (int64_t n = 0; n < s.batch; ++n)
    for (int64_t gi = 0; gi < s.group; ++gi) {
      fast::pack_b(dy.data<float>() + (n * s.maps + gi * Mg) * P, Mg, P, P, 1, packed.data());
      fast::sgemm(g, wt.data<float>() + gi * Mg * K, packed.data(), col.data(), ctx.threadpool());
      col2im_add(col.data(), Cg, s.w, out + (n * s.channels + gi * Cg) * plane);
    }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "ConvGradInput", .domain = kGradDomain, .infer = infer_conv_grad_input,
               .run = run_conv_grad_input);

}  // namespace ew
