#include "ops/quant/int_matmul.h"

#include <algorithm>
#include <string>

#include "ops/broadcast.h"

namespace ew::quant {

Status infer_matmul_dims(InferContext& ctx, int a_index, int b_index, DType out) {
  const ValueType& a = ctx.input_type(a_index);
  const ValueType& b = ctx.input_type(b_index);
  if (!a.has_shape || !b.has_shape) {
    ctx.set_output_dtype_only(0, out);
    return Status::ok();
  }
  if (a.dims.empty() || b.dims.empty()) return ctx.error("matmul inputs must have rank >= 1");
  std::vector<Dim> ad = a.dims, bd = b.dims;
  const bool a_vec = ad.size() == 1, b_vec = bd.size() == 1;
  if (a_vec) ad.insert(ad.begin(), Dim(1));
  if (b_vec) bd.push_back(Dim(1));
  const Dim& ka = ad.back();
  const Dim& kb = bd[bd.size() - 2];
  if (ka.known() && kb.known() && ka.value != kb.value)
    return ctx.error("inner dimensions differ: " + a.to_string() + " x " + b.to_string());
  auto batch = broadcast_dims(std::vector<Dim>(ad.begin(), ad.end() - 2), std::vector<Dim>(bd.begin(), bd.end() - 2));
  if (!batch.is_ok()) return ctx.error(batch.status().message());
  std::vector<Dim> dims = *batch;
  if (!a_vec) dims.push_back(ad[ad.size() - 2]);
  if (!b_vec) dims.push_back(bd.back());
  ctx.set_output(0, out, dims);
  return Status::ok();
}

Result<IntMatMulShape> make_int_matmul_shape(const Shape& a_in, const Shape& b_in) {
  if (a_in.empty() || b_in.empty()) return invalid_argument("matmul inputs must have rank >= 1");
  Shape a = a_in, b = b_in;
  if (a_in.size() == 1) a.insert(a.begin(), 1);
  if (b_in.size() == 1) b.push_back(1);
  IntMatMulShape s;
  s.m = a[a.size() - 2];
  s.k = a.back();
  s.n = b.back();
  if (b[b.size() - 2] != s.k) return invalid_argument("inner dimensions differ: " + shape_to_string(a_in) + " x " + shape_to_string(b_in));
  const Shape ab(a.begin(), a.end() - 2), bb(b.begin(), b.end() - 2);
  EW_ASSIGN_OR_RETURN(Shape batch, broadcast_shapes(ab, bb));
  const auto as = broadcast_strides(ab, batch);
  const auto bs = broadcast_strides(bb, batch);
  // Matrix index of A / B for every output batch position (row-major walk).
  const int64_t total = shape_numel(batch).value_or(0);
  std::vector<int64_t> idx(batch.size(), 0);
  for (int64_t t = 0; t < total; ++t) {
    int64_t ai = 0, bi = 0;
    for (size_t d = 0; d < batch.size(); ++d) {
      ai += idx[d] * as[d];
      bi += idx[d] * bs[d];
    }
    s.a_batch.push_back(ai);
    s.b_batch.push_back(bi);
    for (int64_t d = static_cast<int64_t>(batch.size()) - 1; d >= 0; --d) {
      if (++idx[d] < batch[d]) break;
      idx[d] = 0;
    }
  }
  s.out = batch;
  if (a_in.size() != 1) s.out.push_back(s.m);
  if (b_in.size() != 1) s.out.push_back(s.n);
  return s;
}

Result<std::vector<int32_t>> row_zero_points(const Tensor* zp, int64_t matrices, int64_t rows) {
  std::vector<int32_t> out(static_cast<size_t>(matrices * rows), 0);
  if (!zp) return out;
  const int64_t n = zp->numel();
  if (n != 1 && n != rows && n != matrices * rows)
    return invalid_argument("zero point has " + std::to_string(n) + " elements; expected 1, " + std::to_string(rows) +
                            " or " + std::to_string(matrices * rows));
  for (int64_t i = 0; i < matrices * rows; ++i)
    out[i] = static_cast<int32_t>(zp->get_int64(n == 1 ? 0 : n == rows ? i % rows : i));
  return out;
}

}  // namespace ew::quant
