// ConvGradFilter(dY, X, W_like) -> (dW, dB): the gradient of Conv with respect
// to its filter (attributes of the forward Conv; see conv_grad_geometry.h).
// Per image and group, dW_g += dY_g · colᵀ with col = im2col(X_g), one sgemm
// that reads col transposed through the packing strides. The optional second
// output is the bias gradient, dB[m] = Σ dY[n][m][...] (what a ReduceSum of dY
// over every axis but 1 gives), so kernels that read dY anyway need no
// separate pass for it.
#include <algorithm>
#include <vector>

#include "ops/fast/sgemm.h"
#include "ops/grad/conv_grad_geometry.h"
#include "ops/grad/grad_domain.h"
#include "ops/nn/im2col.h"

namespace ew {
namespace {

Status infer_conv_grad_filter(InferContext& ctx) {
  EW_RETURN_IF_ERROR(infer_conv_grad(ctx, 1, 2, 2));
  if (ctx.has_output(1)) {
    const ValueType& w = ctx.input_type(2);
    ctx.set_output(1, DType::kFloat32, std::vector<Dim>{w.has_shape && !w.dims.empty() ? w.dims[0] : Dim()});
  }
  return Status::ok();
}

// dB[m] = Σ over images and positions of dY[n][m][p], in double.
void bias_gradient(const Tensor& dy, float* db) {
  const int64_t N = dy.dim(0), M = dy.dim(1), P = dy.numel() / std::max<int64_t>(1, N * M);
  const float* g = dy.data<float>();
  for (int64_t m = 0; m < M; ++m) {
    double s = 0;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t p = 0; p < P; ++p) s += g[(n * M + m) * P + p];
    db[m] = static_cast<float>(s);
  }
}

Status run_conv_grad_filter(KernelContext& ctx) {
  for (int i = 0; i < 3; ++i) EW_RETURN_IF_ERROR(require_f32_input(ctx, i));
  const Tensor &dy = ctx.input(0), &x = ctx.input(1);
  auto shape = conv_grad_shape(ctx.node(), x.shape(), ctx.input(2).shape(), dy.shape());
  if (!shape.is_ok()) return ctx.error(shape.status().message());
  const ConvGradShape& s = *shape;
  Tensor& dw = ctx.output(0);
  if (dw.shape() != ctx.input(2).shape()) return ctx.error("dW was not allocated with W's shape");
  float* out = dw.data<float>();
  std::fill(out, out + dw.numel(), 0.0f);
  if (ctx.has_output(1)) {
    if (ctx.output(1).numel() != s.maps) return ctx.error("dB was not allocated with W's first dimension");
    bias_gradient(dy, ctx.output(1).data<float>());
  }
  const int64_t Cg = s.channels_per_group(), Mg = s.maps_per_group(), K = s.col_rows();
  const int64_t P = s.out_plane(), plane = s.in_plane();
  if (K == 0 || P == 0 || Mg == 0) return Status::ok();
  std::vector<float> col(static_cast<size_t>(K * P)), packed(static_cast<size_t>(fast::packed_b_size(P, K)));
  fast::SgemmShape g;  // dW_g[Mg, K] += dY_g[Mg, P] · colᵀ[P, K]
  g.M = Mg;
  g.N = K;
  g.K = P;
  g.rsa = P;
  g.csa = 1;
  g.ldc = K;
  g.accumulate = true;
  for (int64_t n = 0; n < s.batch; ++n)
    for (int64_t gi = 0; gi < s.group; ++gi) {
      im2col(x.data<float>() + (n * s.channels + gi * Cg) * plane, Cg, s.w, col.data());
      fast::pack_b(col.data(), P, K, 1, P, packed.data());
      fast::sgemm(g, dy.data<float>() + (n * s.maps + gi * Mg) * P, packed.data(), out + gi * Mg * K,
                  ctx.threadpool());
    }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "ConvGradFilter", .domain = kGradDomain, .infer = infer_conv_grad_filter,
               .run = run_conv_grad_filter);

}  // namespace ew
