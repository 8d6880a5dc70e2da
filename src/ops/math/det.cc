// Det: determinant of each square matrix in a [..., M, M] float tensor, by
// LU decomposition with partial pivoting in double. Output shape [...].
#include <cmath>
#include <utility>
#include <vector>

#include "ops/math/elementwise.h"

namespace ew {
namespace {

Status infer_det(InferContext& ctx) {
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_float, "a float type"));
  const ValueType& x = ctx.input_type(0);
  if (!x.has_shape) {
    ctx.set_output_dtype_only(0, x.dtype);
    return Status::ok();
  }
  size_t r = x.dims.size();
  if (r < 2) return ctx.error("input must have rank >= 2, got " + x.to_string());
  const Dim& m = x.dims[r - 2];
  const Dim& n = x.dims[r - 1];
  if (m.known() && n.known() && m.value != n.value) return ctx.error("matrices must be square, got " + x.to_string());
  ctx.set_output(0, x.dtype, std::vector<Dim>(x.dims.begin(), x.dims.end() - 2));
  return Status::ok();
}

// Determinant of the n x n row-major matrix a (destroyed).
double lu_determinant(std::vector<double>& a, int64_t n) {
  double det = 1;
  for (int64_t k = 0; k < n; ++k) {
    int64_t pivot = k;
    for (int64_t i = k + 1; i < n; ++i)
      if (std::fabs(a[i * n + k]) > std::fabs(a[pivot * n + k])) pivot = i;
    if (a[pivot * n + k] == 0) return 0;
    if (pivot != k) {
      for (int64_t j = 0; j < n; ++j) std::swap(a[k * n + j], a[pivot * n + j]);
      det = -det;
    }
    const double d = a[k * n + k];
    det *= d;
    for (int64_t i = k + 1; i < n; ++i) {
      const double f = a[i * n + k] / d;
      for (int64_t j = k + 1; j < n; ++j) a[i * n + j] -= f * a[k * n + j];
    }
  }
  return det;
}

Status run_det(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  if (x.rank() < 2 || x.dim(x.rank() - 1) != x.dim(x.rank() - 2)) return ctx.error("expects [..., M, M]");
  const int64_t n = x.dim(x.rank() - 1);
  const int64_t batch = ctx.output(0).numel();
  std::vector<double> a(static_cast<size_t>(n * n));
  bool ok = visit_float(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    const T* in = x.data<T>();
    T* out = ctx.output(0).data<T>();
    for (int64_t b = 0; b < batch; ++b) {
      for (int64_t i = 0; i < n * n; ++i) a[i] = static_cast<double>(C(in[b * n * n + i]));
      out[b] = T(static_cast<C>(lu_determinant(a, n)));
    }
  });
  return ok ? Status::ok() : unsupported_dtype(ctx, x.dtype());
}

}  // namespace

EW_REGISTER_OP(.op_type = "Det", .since_version = 11, .infer = infer_det, .run = run_det);

}  // namespace ew
