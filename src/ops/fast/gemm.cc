// Fast fp32 Gemm on sgemm: Y = alpha * A' * B' + beta * C. transA is read in
// place through A's strides; B' is packed (at prepare when B is constant).
// beta * C is written into Y first and the product accumulated onto it.
// A prepared kernel owns its packing scratch: run it from one thread at a time.
#include "ops/fast/prepare_util.h"
#include "ops/fast/sgemm.h"

namespace ew::fast {
namespace {

class GemmKernel final : public PreparedKernel {
 public:
  SgemmShape shape;
  bool trans_b = false, b_constant = false, has_c = false;
  float beta = 1.0f;
  int64_t c_row_stride = 0, c_col_stride = 0;
  Tensor packed;

  Status run(KernelContext& ctx) override {
    float* y = ctx.output(0).data<float>();
    if (ctx.output(0).numel() == 0) return Status::ok();
    if (!b_constant) pack(ctx.input(1).data<float>(), ctx.threadpool());
    if (has_c) fill_bias(ctx.input(2).data<float>(), y);
    sgemm(shape, ctx.input(0).data<float>(), packed.data<float>(), y, ctx.threadpool());
    return Status::ok();
  }

  void pack(const float* b, pthreadpool_t pool) {
    const int64_t K = shape.K, N = shape.N;
    pack_b_batched(b, 1, 0, K, N, trans_b ? 1 : N, trans_b ? K : 1, packed.data<float>(), pool);
  }

  void fill_bias(const float* c, float* y) const {
    for (int64_t i = 0; i < shape.M; ++i)
      for (int64_t j = 0; j < shape.N; ++j) y[i * shape.N + j] = beta * c[i * c_row_stride + j * c_col_stride];
  }
};

// Sets C's broadcast strides into [M, N]; false when C does not broadcast.
bool set_c_strides(GemmKernel& k, const Shape& c) {
  if (c.size() > 2) return false;
  const int64_t rows = c.size() == 2 ? c[0] : 1, cols = c.empty() ? 1 : c.back();
  if ((rows != 1 && rows != k.shape.M) || (cols != 1 && cols != k.shape.N)) return false;
  k.c_row_stride = rows == 1 ? 0 : cols;
  k.c_col_stride = cols == 1 ? 0 : 1;
  return true;
}

Prepared prepare_gemm(const PrepareContext& ctx) {
  if (!is_f32(ctx, 0) || !is_f32(ctx, 1)) return not_handled();
  const Shape sa = input_shape(ctx, 0), sb = input_shape(ctx, 1);
  if (sa.size() != 2 || sb.size() != 2) return not_handled();
  const bool ta = ctx.node.attr_int("transA", 0) != 0;
  auto k = std::make_unique<GemmKernel>();
  k->trans_b = ctx.node.attr_int("transB", 0) != 0;
  SgemmShape& s = k->shape;
  s.M = sa[ta ? 1 : 0];
  s.K = sa[ta ? 0 : 1];
  s.N = sb[k->trans_b ? 0 : 1];
  if (sb[k->trans_b ? 1 : 0] != s.K) return not_handled();
  s.rsa = ta ? 1 : s.K;
  s.csa = ta ? s.M : 1;
  s.ldc = s.N;
  s.alpha = ctx.node.attr_float("alpha", 1.0f);
  k->beta = ctx.node.attr_float("beta", 1.0f);
  if (has_input(ctx, 2) && k->beta != 0.0f) {
    if (!is_f32(ctx, 2) || !set_c_strides(*k, input_shape(ctx, 2))) return not_handled();
    k->has_c = true;
    s.accumulate = true;
  }
  EW_ASSIGN_OR_RETURN(k->packed, scratch_floats(packed_b_size(s.K, s.N)));
  if (const Tensor* b = constant_input(ctx, 1)) {
    k->b_constant = true;
    k->pack(b->data<float>(), ctx.threadpool);
  }
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "Gemm", .since_version = 7, .name = "sgemm", .prepare = prepare_gemm);

}  // namespace ew::fast
