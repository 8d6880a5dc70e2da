// com.microsoft::QGemm (ONNX Runtime contrib op): Gemm on quantized A and B
// with an int32 bias C (scale alpha * a_scale * b_scale, zero point 0):
//   acc[m, n] = sum_k (A'[m,k] - a_zp) * (B'[k,n] - b_zp[n]) + C[m, n]
// then, with y_scale, y = saturate(round_half_even(acc * (alpha * a_scale * b_scale[n] / y_scale)) + y_zp),
// else float y = float(acc) * (alpha * a_scale * b_scale[n]).
// A' and B' are A and B transposed per transA / transB; b_scale and b_zp are
// per tensor or per output column. The QDQ fusion turns DQ -> Gemm [-> Q] into it.
#include <vector>

#include "ops/quant/quant_util.h"

namespace ew {
namespace {

enum Input { kA, kAScale, kAZp, kB, kBScale, kBZp, kC, kYScale, kYZp };

struct Dims {
  int64_t m = 0, k = 0, n = 0;
};

Result<Dims> gemm_dims(const Shape& a, const Shape& b, bool ta, bool tb) {
  if (a.size() != 2 || b.size() != 2) return invalid_argument("A and B must be 2-D");
  Dims d{ta ? a[1] : a[0], ta ? a[0] : a[1], tb ? b[0] : b[1]};
  if ((tb ? b[1] : b[0]) != d.k) return invalid_argument("inner dimensions of A and B differ");
  return d;
}

Status infer_qgemm(InferContext& ctx) {
  for (int i : {kA, kAScale, kB, kBScale})
    if (!ctx.has_input(i)) return ctx.error("input " + std::to_string(i) + " is required");
  const DType at = ctx.input_type(kA).dtype, bt = ctx.input_type(kB).dtype;
  if (!quant::is_quant8(at) || !quant::is_quant8(bt)) return ctx.error("A and B must be uint8 or int8");
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, kAZp, at, "a_zero_point"));
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, kBZp, bt, "b_zero_point"));
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, kC, DType::kInt32, "C"));
  EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, kAScale, "a_scale"));
  DType yt = DType::kFloat32;
  if (ctx.has_input(kYScale)) {
    EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, kYScale, "y_scale"));
    yt = ctx.has_input(kYZp) ? ctx.input_type(kYZp).dtype : DType::kUInt8;
    if (!quant::is_quant8(yt)) return ctx.error("y_zero_point must be uint8 or int8");
  }
  const ValueType &a = ctx.input_type(kA), &b = ctx.input_type(kB);
  if (!a.fully_known() || !b.fully_known()) {
    ctx.set_output(0, ValueType{yt, true, {Dim(), Dim()}});
    return Status::ok();
  }
  auto d = gemm_dims(a.concrete_shape(), b.concrete_shape(), ctx.node().attr_int("transA", 0),
                     ctx.node().attr_int("transB", 0));
  if (!d.is_ok()) return ctx.error(d.status().message());
  EW_RETURN_IF_ERROR(quant::check_scalar_or_vector(ctx, kBScale, d->n, "b_scale"));
  EW_RETURN_IF_ERROR(quant::check_scalar_or_vector(ctx, kBZp, d->n, "b_zero_point"));
  ctx.set_output(0, yt, Shape{d->m, d->n});
  return Status::ok();
}

// C broadcast to [M, N]: scalar, [N], [1, N], [M, 1] or [M, N].
Result<std::vector<int32_t>> bias_matrix(const Tensor* c, const Dims& d) {
  std::vector<int32_t> out(static_cast<size_t>(d.m * d.n), 0);
  if (!c) return out;
  const Shape& s = c->shape();
  const int64_t rows = s.size() == 2 ? s[0] : 1, cols = s.empty() ? 1 : s.back();
  if (s.size() > 2 || (rows != 1 && rows != d.m) || (cols != 1 && cols != d.n))
    return invalid_argument("C does not broadcast to [M, N]");
  const int32_t* pc = c->data<int32_t>();
  for (int64_t i = 0; i < d.m; ++i)
    for (int64_t j = 0; j < d.n; ++j) out[i * d.n + j] = pc[(rows == 1 ? 0 : i) * cols + (cols == 1 ? 0 : j)];
  return out;
}

template <typename A, typename B>
void accumulate(const KernelContext& ctx, const Dims& d, bool ta, bool tb, int32_t a_zp,
                const std::vector<int32_t>& b_zp, std::vector<int32_t>& acc) {
  const A* a = ctx.input(kA).data<A>();
  const B* b = ctx.input(kB).data<B>();
  for (int64_t i = 0; i < d.m; ++i)
    for (int64_t j = 0; j < d.n; ++j) {
      int32_t s = 0;
      for (int64_t k = 0; k < d.k; ++k) {
        const int32_t av = static_cast<int32_t>(a[ta ? k * d.m + i : i * d.k + k]) - a_zp;
        s += av * (static_cast<int32_t>(b[tb ? j * d.k + k : k * d.n + j]) - b_zp[j]);
      }
      acc[i * d.n + j] += s;
    }
}

Status run_qgemm(KernelContext& ctx) {
  const bool ta = ctx.node().attr_int("transA", 0), tb = ctx.node().attr_int("transB", 0);
  const float alpha = ctx.node().attr_float("alpha", 1.0f);
  auto d = gemm_dims(ctx.input(kA).shape(), ctx.input(kB).shape(), ta, tb);
  if (!d.is_ok()) return ctx.error(d.status().message());
  auto b_zp = quant::per_channel_zero_points(ctx.has_input(kBZp) ? &ctx.input(kBZp) : nullptr, d->n);
  auto b_scale = quant::per_channel_scales(ctx.input(kBScale), d->n);
  auto acc = bias_matrix(ctx.has_input(kC) ? &ctx.input(kC) : nullptr, *d);
  for (const Status* st : {&b_zp.status(), &b_scale.status(), &acc.status()})
    if (!st->is_ok()) return ctx.error(st->message());
  const int32_t a_zp = quant::zero_point_at(ctx.has_input(kAZp) ? &ctx.input(kAZp) : nullptr, 0);
  const float a_scale = quant::scale_at(ctx.input(kAScale), 0);
  quant::visit_quant8(ctx.input(kA).dtype(), [&](auto at) {
    quant::visit_quant8(ctx.input(kB).dtype(), [&](auto bt) {
      accumulate<typename decltype(at)::type, typename decltype(bt)::type>(ctx, *d, ta, tb, a_zp, *b_zp, *acc);
    });
  });
  Tensor& y = ctx.output(0);
  if (y.dtype() == DType::kFloat32) {
    for (int64_t i = 0; i < y.numel(); ++i)
      y.data<float>()[i] = static_cast<float>((*acc)[i]) * (alpha * a_scale * (*b_scale)[i % d->n]);
    return Status::ok();
  }
  const float y_scale = quant::scale_at(ctx.input(kYScale), 0);
  const int32_t y_zp = quant::zero_point_at(ctx.has_input(kYZp) ? &ctx.input(kYZp) : nullptr, 0);
  quant::visit_quant8(y.dtype(), [&](auto yt) {
    using Y = typename decltype(yt)::type;
    for (int64_t i = 0; i < y.numel(); ++i)
      y.data<Y>()[i] = quant::requantize<Y>((*acc)[i], alpha * a_scale * (*b_scale)[i % d->n] / y_scale, y_zp);
  });
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "QGemm", .domain = "com.microsoft", .since_version = 1, .infer = infer_qgemm,
               .run = run_qgemm);

}  // namespace ew
