// LayerNormalizationGrad(dY, X, scale[, mean, inv_std]) -> (dX, dscale, dbias):
// the backward of LayerNormalization (attributes axis = -1, epsilon = 1e-5 of
// the forward). Rows are X viewed as [outer, inner] at `axis`; per row, with
// x̂ = (x − mean) · inv_std and g = dY · scale,
//   dX = inv_std · (g − mean(g) − x̂ · mean(g · x̂)),
//   dscale = Σ_rows dY · x̂ summed to scale's shape,  dbias = Σ_rows dY.
// mean and inv_std are the forward's optional outputs (float32, outer values)
// when it kept them; absent, they are recomputed from X as the forward does,
// since a rule cannot add outputs to a forward node. dbias has the normalized
// shape X.shape[axis:] (the op does not see B, which may broadcast: the rule
// sums it to B's shape). Outputs 1 and 2 are optional.
#include <cmath>
#include <vector>

#include "ops/broadcast.h"
#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

Status infer_layer_norm_grad(InferContext& ctx) {
  for (int i = 0; i < 3; ++i) EW_RETURN_IF_ERROR(require_f32_input(ctx, i));
  for (int i = 3; i < 5; ++i)
    if (ctx.has_input(i)) EW_RETURN_IF_ERROR(require_f32_input(ctx, i));
  if (ctx.has_input(3) != ctx.has_input(4)) return ctx.error("mean and inv_std come together");
  EW_RETURN_IF_ERROR(infer_like_input(ctx, 1));
  ValueType scale = ctx.input_type(2);
  scale.dtype = DType::kFloat32;
  if (ctx.has_output(1)) ctx.set_output(1, scale);
  const ValueType& x = ctx.input_type(1);
  if (!ctx.has_output(2)) return Status::ok();
  if (!x.has_shape) {
    ctx.set_output_dtype_only(2, DType::kFloat32);
    return Status::ok();
  }
  auto axis = normalize_axis(ctx.node().attr_int("axis", -1), static_cast<int64_t>(x.dims.size()));
  if (!axis) return ctx.error("axis out of range for rank " + std::to_string(x.dims.size()));
  ctx.set_output(2, DType::kFloat32, std::vector<Dim>(x.dims.begin() + *axis, x.dims.end()));
  return Status::ok();
}

// Per row: mean and inv_std, from the inputs or recomputed as the forward does.
void row_stats(const KernelContext& ctx, const float* row, int64_t r, int64_t inner, double eps, double* mean,
               double* inv) {
  if (ctx.has_input(3)) {
    *mean = ctx.input(3).data<float>()[r];
    *inv = ctx.input(4).data<float>()[r];
    return;
  }
  double m = 0, var = 0;
  for (int64_t i = 0; i < inner; ++i) m += row[i];
  m /= double(inner);
  for (int64_t i = 0; i < inner; ++i) var += (row[i] - m) * (row[i] - m);
  *mean = m;
  *inv = 1.0 / std::sqrt(var / double(inner) + eps);
}

Status run_layer_norm_grad(KernelContext& ctx) {
  for (int i = 0; i < 3; ++i) EW_RETURN_IF_ERROR(require_f32_input(ctx, i));
  const Tensor &dyt = ctx.input(0), &x = ctx.input(1), &scale = ctx.input(2);
  if (dyt.shape() != x.shape()) return ctx.error("dY " + dyt.describe() + " and X " + x.describe() + " differ");
  auto axis = normalize_axis(ctx.node().attr_int("axis", -1), x.rank());
  if (!axis) return ctx.error("axis out of range for " + x.describe());
  const Shape norm(x.shape().begin() + *axis, x.shape().end());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < x.rank(); ++d) (d < *axis ? outer : inner) *= x.dim(d);
  auto b = broadcast_shapes(scale.shape(), norm);
  if (!b.is_ok() || *b != norm)
    return ctx.error("scale " + scale.describe() + " does not broadcast to the normalized shape " +
                     shape_to_string(norm));
  if (ctx.has_input(3) != ctx.has_input(4)) return ctx.error("mean and inv_std come together");
  for (int i = 3; i < 5; ++i) {
    if (!ctx.has_input(i)) continue;
    EW_RETURN_IF_ERROR(require_f32_input(ctx, i));
    if (ctx.input(i).numel() != outer)
      return ctx.error("input " + std::to_string(i) + " " + ctx.input(i).describe() + " must hold one value per row (" +
                       std::to_string(outer) + ")");
  }
  std::vector<int64_t> sidx(static_cast<size_t>(inner));
  if (inner > 0)
    broadcast_for_each<1>(norm, {&scale.shape()},
                          [&](int64_t o, const std::array<int64_t, 1>& in) { sidx[o] = in[0]; });
  const double eps = ctx.node().attr_float("epsilon", 1e-5f);
  const float *dy = dyt.data<float>(), *in = x.data<float>(), *s = scale.data<float>();
  float* dx = ctx.output(0).data<float>();
  std::vector<double> dscale(static_cast<size_t>(scale.numel()), 0.0), dbias(static_cast<size_t>(inner), 0.0);
  std::vector<float> xhat(static_cast<size_t>(inner)), g(static_cast<size_t>(inner));
  for (int64_t r = 0; r < outer; ++r) {
    const float *row = in + r * inner, *dyr = dy + r * inner;
    double mean, inv;
    row_stats(ctx, row, r, inner, eps, &mean, &inv);
    double gsum = 0, gxsum = 0;
    for (int64_t i = 0; i < inner; ++i) {
      xhat[i] = static_cast<float>((row[i] - mean) * inv);
      g[i] = dyr[i] * s[sidx[i]];
      gsum += g[i];
      gxsum += double(g[i]) * xhat[i];
      dscale[sidx[i]] += double(dyr[i]) * xhat[i];
      dbias[i] += dyr[i];
    }
    const float gm = static_cast<float>(gsum / double(inner)), gxm = static_cast<float>(gxsum / double(inner));
    const float fi = static_cast<float>(inv);
    for (int64_t i = 0; i < inner; ++i) dx[r * inner + i] = fi * (g[i] - gm - xhat[i] * gxm);
  }
  if (ctx.has_output(1))
    for (size_t i = 0; i < dscale.size(); ++i) ctx.output(1).data<float>()[i] = static_cast<float>(dscale[i]);
  if (ctx.has_output(2))
    for (size_t i = 0; i < dbias.size(); ++i) ctx.output(2).data<float>()[i] = static_cast<float>(dbias[i]);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "LayerNormalizationGrad", .domain = kGradDomain, .infer = infer_layer_norm_grad,
               .run = run_layer_norm_grad);

}  // namespace ew
