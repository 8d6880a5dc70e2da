// Fast fp32 MatMul on sgemm, with numpy batch broadcasting. A constant B is
// packed once at prepare; a dynamic B (attention Q*K^T, P*V) is packed at run
// into scratch sized at prepare. When B has no batch dims the batches of A
// fold into M, so [batch, seq, hidden] x [hidden, out] is one GEMM.
// A prepared kernel owns that scratch: run it from one thread at a time.
#include <vector>

#include "ops/broadcast.h"
#include "ops/fast/prepare_util.h"
#include "ops/fast/sgemm.h"

namespace ew::fast {
namespace {

int64_t product(const Shape& s) {
  int64_t p = 1;
  for (int64_t d : s) p *= d;
  return p;
}

class MatMulKernel final : public PreparedKernel {
 public:
  SgemmShape shape;
  int64_t count = 1;                    // products per run
  int64_t b_batches = 1, K = 0, N = 0;  // distinct B matrices
  std::vector<int64_t> a_off, b_off, c_off;
  bool b_constant = false;
  Tensor packed;  // b_batches packed B matrices

  Status run(KernelContext& ctx) override {
    const float* a = ctx.input(0).data<float>();
    float* y = ctx.output(0).data<float>();
    if (ctx.output(0).numel() == 0) return Status::ok();
    if (!b_constant)
      pack_b_batched(ctx.input(1).data<float>(), b_batches, K * N, K, N, N, 1, packed.data<float>(), ctx.threadpool());
    sgemm_batched(shape, count, a, a_off.empty() ? nullptr : a_off.data(), packed.data<float>(),
                  b_off.empty() ? nullptr : b_off.data(), y, c_off.empty() ? nullptr : c_off.data(),
                  ctx.threadpool());
    return Status::ok();
  }
};

// Fills the per-product offsets for broadcast batch dims.
void batch_offsets(MatMulKernel& k, const Shape& ba, const Shape& bb, const Shape& batch, int64_t M) {
  k.count = product(batch);
  const int64_t pb = packed_b_size(k.K, k.N);
  k.a_off.resize(static_cast<size_t>(k.count));
  k.b_off.resize(static_cast<size_t>(k.count));
  k.c_off.resize(static_cast<size_t>(k.count));
  broadcast_for_each<2>(batch, {&ba, &bb}, [&](int64_t o, const std::array<int64_t, 2>& in) {
    k.a_off[o] = in[0] * M * k.K;
    k.b_off[o] = in[1] * pb;
    k.c_off[o] = o * M * k.N;
  });
}

Prepared prepare_mat_mul(const PrepareContext& ctx) {
  if (!is_f32(ctx, 0) || !is_f32(ctx, 1)) return not_handled();
  Shape sa = input_shape(ctx, 0), sb = input_shape(ctx, 1);
  if (sa.empty() || sb.empty()) return not_handled();
  if (sa.size() == 1) sa.insert(sa.begin(), 1);
  if (sb.size() == 1) sb.push_back(1);
  auto k = std::make_unique<MatMulKernel>();
  const int64_t M = sa[sa.size() - 2];
  k->K = sa.back();
  k->N = sb.back();
  if (sb[sb.size() - 2] != k->K) return not_handled();
  const Shape ba(sa.begin(), sa.end() - 2), bb(sb.begin(), sb.end() - 2);
  auto batch = broadcast_shapes(ba, bb);
  if (!batch.is_ok()) return not_handled();
  k->b_batches = product(bb);
  k->shape.N = k->N;
  k->shape.K = k->K;
  k->shape.rsa = k->K;
  k->shape.ldc = k->N;
  if (k->b_batches == 1) {
    k->shape.M = M * product(ba);  // A's batches are contiguous rows
  } else {
    k->shape.M = M;
    batch_offsets(*k, ba, bb, *batch, M);
  }
  EW_ASSIGN_OR_RETURN(k->packed, scratch_floats(k->b_batches * packed_b_size(k->K, k->N)));
  if (const Tensor* b = constant_input(ctx, 1)) {
    k->b_constant = true;
    pack_b_batched(b->data<float>(), k->b_batches, k->K * k->N, k->K, k->N, k->N, 1, k->packed.data<float>(),
                   ctx.threadpool);
  }
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "MatMul", .name = "sgemm", .prepare = prepare_mat_mul);

}  // namespace ew::fast
