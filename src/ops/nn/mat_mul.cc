// MatMul: numpy matmul. 1-D operands are promoted ([K] -> [1, K] for A,
// [K] -> [K, 1] for B) and the promoted axis dropped from the result; batch
// axes broadcast.
#include "ops/broadcast.h"
#include "ops/nn/gemm_kernel.h"

namespace ew {
namespace {

bool matmul_type(DType t) {
  return is_float(t) || t == DType::kInt32 || t == DType::kInt64 || t == DType::kUInt32 || t == DType::kUInt64;
}

Status infer_mat_mul(InferContext& ctx) {
  const ValueType& a = ctx.input_type(0);
  const ValueType& b = ctx.input_type(1);
  if (!matmul_type(a.dtype)) return ctx.error(std::string("unsupported type ") + dtype_name(a.dtype));
  if (b.dtype != a.dtype) return ctx.error("A and B types differ");
  if (!a.has_shape || !b.has_shape) { ctx.set_output_dtype_only(0, a.dtype); return Status::ok(); }
  if (a.dims.empty() || b.dims.empty()) return ctx.error("MatMul operands must have rank >= 1");
  std::vector<Dim> da = a.dims, db = b.dims;
  if (da.size() == 1) da.insert(da.begin(), Dim(1));
  if (db.size() == 1) db.push_back(Dim(1));
  const Dim& ka = da.back();
  const Dim& kb = db[db.size() - 2];
  if (ka.known() && kb.known() && ka.value != kb.value)
    return ctx.error("inner dimensions differ: " + a.to_string() + " and " + b.to_string());
  auto batch = broadcast_dims(std::vector<Dim>(da.begin(), da.end() - 2), std::vector<Dim>(db.begin(), db.end() - 2));
  if (!batch.is_ok()) return ctx.error(batch.status().message());
  std::vector<Dim> out = std::move(batch).value();
  if (a.dims.size() > 1) out.push_back(da[da.size() - 2]);
  if (b.dims.size() > 1) out.push_back(db.back());
  ctx.set_output(0, a.dtype, out);
  return Status::ok();
}

template <typename T>
void mat_mul_typed(const Tensor& a, const Tensor& b, const Shape& batch, const Shape& ba, const Shape& bb, int64_t M,
                   int64_t K, int64_t N, Tensor& y) {
  using C = compute_t<T>;
  ComputeView<T> av(a.data<T>(), a.numel()), bv(b.data<T>(), b.numel());
  std::vector<C> acc(static_cast<size_t>(M * N));
  T* out = y.data<T>();
  broadcast_for_each<2>(batch, {&ba, &bb}, [&](int64_t o, const std::array<int64_t, 2>& in) {
    std::fill(acc.begin(), acc.end(), C(0));
    gemm_accumulate<C>(M, N, K, av.data() + in[0] * M * K, K, bv.data() + in[1] * K * N, N, acc.data(), N);
    convert_to(acc.data(), M * N, out + o * M * N);
  });
}

Status run_mat_mul(KernelContext& ctx) {
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  if (a.rank() < 1 || b.rank() < 1) return ctx.error("MatMul operands must have rank >= 1");
  Shape sa = a.shape(), sb = b.shape();
  if (sa.size() == 1) sa.insert(sa.begin(), 1);
  if (sb.size() == 1) sb.push_back(1);
  const int64_t M = sa[sa.size() - 2], K = sa.back(), N = sb.back();
  if (sb[sb.size() - 2] != K) return ctx.error("inner dimensions differ: " + a.describe() + " and " + b.describe());
  Shape ba(sa.begin(), sa.end() - 2), bb(sb.begin(), sb.end() - 2);
  auto batch = broadcast_shapes(ba, bb);
  if (!batch.is_ok()) return ctx.error(batch.status().message());
  bool ok = visit_matmul_type(a.dtype(), [&](auto tag) {
    mat_mul_typed<typename decltype(tag)::type>(a, b, *batch, ba, bb, M, K, N, ctx.output(0));
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(a.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "MatMul", .infer = infer_mat_mul, .run = run_mat_mul);

}  // namespace ew
