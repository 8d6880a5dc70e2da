// QLinearMatMul: integer matmul with int32 accumulators, requantized as ONNX
// Runtime does: multiplier = a_scale * b_scale[n] / y_scale in float,
// y = saturate(round_half_even(acc * multiplier) + y_zero_point). b_scale and
// b_zero_point may be per column; a_scale and a_zero_point per row.
#include "ops/quant/int_matmul.h"
#include "ops/quant/quant_util.h"

namespace ew {
namespace {

enum Input { kA, kAScale, kAZp, kB, kBScale, kBZp, kYScale, kYZp };

Status infer_qlinear_matmul(InferContext& ctx) {
  if (ctx.num_inputs() < 8) return ctx.error("expects 8 inputs");
  for (int i : {kA, kAScale, kB, kBScale, kYScale})
    if (!ctx.has_input(i)) return ctx.error("input " + std::to_string(i) + " is required");
  const DType at = ctx.input_type(kA).dtype, bt = ctx.input_type(kB).dtype;
  if (at != DType::kUndefined && !quant::is_quant8(at)) return ctx.error("a must be uint8 or int8");
  if (bt != DType::kUndefined && !quant::is_quant8(bt)) return ctx.error("b must be uint8 or int8");
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, kAZp, at, "a_zero_point"));
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, kBZp, bt, "b_zero_point"));
  for (int i : {kAScale, kBScale, kYScale}) EW_RETURN_IF_ERROR(quant::check_float_input(ctx, i, "scale"));
  EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, kYScale, "y_scale"));
  EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, kYZp, "y_zero_point"));
  const DType yt = ctx.has_input(kYZp) ? ctx.input_type(kYZp).dtype : at;
  if (yt != DType::kUndefined && !quant::is_quant8(yt)) return ctx.error("y_zero_point must be uint8 or int8");
  return quant::infer_matmul_dims(ctx, kA, kB, yt);
}

struct Requant {
  std::vector<float> a_scale, b_scale;  // per (matrix, row) and per (matrix, column)
  float y_scale = 1;
  int32_t y_zp = 0;
};

Result<std::vector<float>> row_scales(const Tensor& s, int64_t matrices, int64_t rows) {
  const int64_t n = s.numel();
  if (n != 1 && n != rows && n != matrices * rows)
    return invalid_argument("scale has " + std::to_string(n) + " elements; expected 1, " + std::to_string(rows) +
                            " or " + std::to_string(matrices * rows));
  std::vector<float> out(static_cast<size_t>(matrices * rows));
  for (int64_t i = 0; i < matrices * rows; ++i) out[i] = quant::scale_at(s, n == 1 ? 0 : n == rows ? i % rows : i);
  return out;
}

template <typename Y>
void requantize_all(const quant::IntMatMulShape& s, const int32_t* acc, const Requant& r, Y* y) {
  for (size_t bi = 0; bi < s.a_batch.size(); ++bi)
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        const int64_t o = (static_cast<int64_t>(bi) * s.m + i) * s.n + j;
        const float mult = r.a_scale[s.a_batch[bi] * s.m + i] * r.b_scale[s.b_batch[bi] * s.n + j] / r.y_scale;
        y[o] = quant::requantize<Y>(acc[o], mult, r.y_zp);
      }
}

Status run_qlinear_matmul(KernelContext& ctx) {
  const Tensor& a = ctx.input(kA);
  const Tensor& b = ctx.input(kB);
  auto s = quant::make_int_matmul_shape(a.shape(), b.shape());
  if (!s.is_ok()) return ctx.error(s.status().message());
  const int64_t am = quant::matrix_count(a.shape()), bm = quant::matrix_count(b.shape());
  auto a_zp = quant::row_zero_points(ctx.has_input(kAZp) ? &ctx.input(kAZp) : nullptr, am, s->m);
  auto b_zp = quant::row_zero_points(ctx.has_input(kBZp) ? &ctx.input(kBZp) : nullptr, bm, s->n);
  auto a_scale = row_scales(ctx.input(kAScale), am, s->m);
  auto b_scale = row_scales(ctx.input(kBScale), bm, s->n);
  for (const Status* st : {&a_zp.status(), &b_zp.status(), &a_scale.status(), &b_scale.status()})
    if (!st->is_ok()) return ctx.error(st->message());
  Requant r{*a_scale, *b_scale, quant::scale_at(ctx.input(kYScale), 0),
            quant::zero_point_at(ctx.has_input(kYZp) ? &ctx.input(kYZp) : nullptr, 0)};
  std::vector<int32_t> acc(static_cast<size_t>(ctx.output(0).numel()));
  bool ok = quant::visit_quant8(a.dtype(), [&](auto at) {
    using A = typename decltype(at)::type;
    quant::visit_quant8(b.dtype(), [&](auto bt) {
      using B = typename decltype(bt)::type;
      quant::int_matmul<A, B>(*s, a.data<A>(), *a_zp, b.data<B>(), *b_zp, acc.data());
    });
  });
  if (!ok) return ctx.error("a must be uint8 or int8");
  Tensor& y = ctx.output(0);
  quant::visit_quant8(y.dtype(), [&](auto yt) {
    using Y = typename decltype(yt)::type;
    requantize_all<Y>(*s, acc.data(), r, y.data<Y>());
  });
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "QLinearMatMul", .since_version = 10, .infer = infer_qlinear_matmul,
               .run = run_qlinear_matmul);

}  // namespace ew
