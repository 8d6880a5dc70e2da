// Gemm: Y = alpha * A' * B' + beta * C, with A' / B' optionally transposed
// and C unidirectionally broadcast to [M, N].
#include "ops/nn/gemm_kernel.h"
#include "ops/op.h"

namespace ew {
namespace {

bool gemm_type(DType t) {
  return is_float(t) || t == DType::kInt32 || t == DType::kInt64 || t == DType::kUInt32 || t == DType::kUInt64;
}

// C's dims must each be 1 or equal the output dim (aligned right).
bool broadcastable_to(const std::vector<Dim>& c, const std::vector<Dim>& out) {
  if (c.size() > out.size()) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    const Dim& d = c[c.size() - 1 - i];
    const Dim& o = out[out.size() - 1 - i];
    if (d.known() && o.known() && d.value != 1 && d.value != o.value) return false;
  }
  return true;
}

Status infer_gemm(InferContext& ctx) {
  const ValueType& a = ctx.input_type(0);
  const ValueType& b = ctx.input_type(1);
  if (!gemm_type(a.dtype)) return ctx.error(std::string("unsupported type ") + dtype_name(a.dtype));
  if (b.dtype != a.dtype) return ctx.error("A and B types differ");
  if (ctx.has_input(2) && ctx.input_type(2).dtype != a.dtype) return ctx.error("C type differs from A");
  if (!ctx.has_input(2) && ctx.opset() < 11) return ctx.error("C is required before opset 11");
  if (!a.has_shape || !b.has_shape) { ctx.set_output_dtype_only(0, a.dtype); return Status::ok(); }
  if (a.dims.size() != 2 || b.dims.size() != 2) return ctx.error("A and B must be 2-D");
  bool ta = ctx.node().attr_int("transA", 0) != 0, tb = ctx.node().attr_int("transB", 0) != 0;
  Dim m = a.dims[ta ? 1 : 0], ka = a.dims[ta ? 0 : 1], kb = b.dims[tb ? 1 : 0], n = b.dims[tb ? 0 : 1];
  if (ka.known() && kb.known() && ka.value != kb.value)
    return ctx.error("inner dimensions differ: " + ka.to_string() + " vs " + kb.to_string());
  std::vector<Dim> out{m, n};
  if (ctx.has_input(2) && ctx.input_type(2).has_shape && !broadcastable_to(ctx.input_type(2).dims, out))
    return ctx.error("C " + ctx.input_type(2).to_string() + " does not broadcast to the output");
  ctx.set_output(0, a.dtype, out);
  return Status::ok();
}

// Matrix [rows, cols] of x as compute type, transposed first when `trans`.
template <typename T>
std::vector<compute_t<T>> as_matrix(const Tensor& x, bool trans) {
  std::vector<compute_t<T>> m(static_cast<size_t>(x.numel()));
  if (trans)
    transpose_to(x.data<T>(), x.dim(0), x.dim(1), x.dim(1), m.data());
  else
    convert_to(x.data<T>(), x.numel(), m.data());
  return m;
}

template <typename T>
void gemm_typed(KernelContext& ctx, bool ta, bool tb, int64_t M, int64_t N, int64_t K) {
  using C = compute_t<T>;
  std::vector<C> a = as_matrix<T>(ctx.input(0), ta), b = as_matrix<T>(ctx.input(1), tb);
  std::vector<C> acc(static_cast<size_t>(M * N), C(0));
  gemm_accumulate<C>(M, N, K, a.data(), K, b.data(), N, acc.data(), N);
  const C alpha = C(ctx.node().attr_float("alpha", 1.0f)), beta = C(ctx.node().attr_float("beta", 1.0f));
  const T* c = ctx.has_input(2) && beta != C(0) ? ctx.input(2).data<T>() : nullptr;
  int64_t rs = 0, cs = 0;
  if (c) {
    const Shape& cshape = ctx.input(2).shape();
    int64_t cr = cshape.size() == 2 ? cshape[0] : 1, cc = cshape.empty() ? 1 : cshape.back();
    rs = cr == 1 ? 0 : cc;
    cs = cc == 1 ? 0 : 1;
  }
  T* y = ctx.output(0).data<T>();
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      C v = alpha * acc[i * N + j];
      if (c) v += beta * C(c[i * rs + j * cs]);
      y[i * N + j] = T(v);
    }
}

Status run_gemm(KernelContext& ctx) {
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  if (a.rank() != 2 || b.rank() != 2) return ctx.error("A and B must be 2-D");
  bool ta = ctx.node().attr_int("transA", 0) != 0, tb = ctx.node().attr_int("transB", 0) != 0;
  int64_t M = a.dim(ta ? 1 : 0), K = a.dim(ta ? 0 : 1), N = b.dim(tb ? 0 : 1);
  if (b.dim(tb ? 1 : 0) != K) return ctx.error("inner dimensions differ: " + a.describe() + " and " + b.describe());
  if (ctx.has_input(2)) {
    const Shape& c = ctx.input(2).shape();
    bool ok = c.size() <= 2 && (c.empty() || c.back() == 1 || c.back() == N) &&
              (c.size() < 2 || c[0] == 1 || c[0] == M);
    if (!ok) return ctx.error("C " + ctx.input(2).describe() + " does not broadcast to [M, N]");
  }
  bool ok = visit_matmul_type(a.dtype(), [&](auto tag) { gemm_typed<typename decltype(tag)::type>(ctx, ta, tb, M, N, K); });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(a.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "Gemm", .since_version = 7, .infer = infer_gemm, .run = run_gemm);

}  // namespace ew
