// Fast com.microsoft::QGemm on the exact int8 product (int8_matmul.h): B and
// the int32 bias packed at prepare; A (int8 shifted to uint8, transposed when
// transA) copied into padded rows per run; the epilogue requantizes or scales
// to float with the reference's operations in its order, so outputs are
// bit-identical to the reference kernel.
#include <vector>

#include "ops/fast/int8_matmul.h"
#include "ops/fast/prepare_util.h"
#include "ops/quant/quant_util.h"

namespace ew::fast {
namespace {

enum Input { kA, kAScale, kAZp, kB, kBScale, kBZp, kC, kYScale, kYZp };

class QGemmKernel final : public PreparedKernel {
 public:
  Int8PackedB b;
  int64_t M = 0;
  bool a_signed = false, trans_a = false;
  int32_t a_zp = 0, y_zp = 0;
  DType y_type = DType::kFloat32;
  std::vector<int32_t> bias;  // per column
  std::vector<float> mult;    // per column: alpha * a_scale * b_scale[n] (/ y_scale when quantized)
  std::vector<uint8_t> qa;
  std::vector<int32_t> rowsum;
  void* y = nullptr;

  template <typename Y>
  static void requantize_tile(const QGemmKernel& k, int64_t m0, int64_t rows, int64_t n0, int64_t cols,
                              const int32_t* acc) {
    Y* y = static_cast<Y*>(k.y);
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        y[(m0 + i) * k.b.N + n0 + j] =
            quant::requantize<Y>(acc[i * kInt8TileN + j] + k.bias[n0 + j], k.mult[n0 + j], k.y_zp);
  }

  static void epilogue(void* p, int64_t m0, int64_t rows, int64_t n0, int64_t cols, const int32_t* acc) {
    const QGemmKernel& k = *static_cast<const QGemmKernel*>(p);
    if (k.y_type == DType::kUInt8) return requantize_tile<uint8_t>(k, m0, rows, n0, cols, acc);
    if (k.y_type == DType::kInt8) return requantize_tile<int8_t>(k, m0, rows, n0, cols, acc);
    float* y = static_cast<float*>(k.y);
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        y[(m0 + i) * k.b.N + n0 + j] = static_cast<float>(acc[i * kInt8TileN + j] + k.bias[n0 + j]) * k.mult[n0 + j];
  }

  Status run(KernelContext& ctx) override {
    const uint8_t* a = static_cast<const uint8_t*>(ctx.input(kA).raw());
    const int64_t K = b.K, lda = b.k_groups * 4;
    const uint8_t flip = a_signed ? 0x80 : 0;
    for (int64_t m = 0; m < M; ++m)
      for (int64_t k = 0; k < K; ++k) qa[m * lda + k] = a[trans_a ? k * M + m : m * K + k] ^ flip;
    if (b.any_zp) int8_row_sums(qa.data(), M, lda, K, rowsum.data());
    y = ctx.output(0).raw();
    Int8MatMulArgs args{&b, qa.data(), M, a_zp, rowsum.data(), epilogue, this};
    int8_matmul(args, ctx.threadpool());
    return Status::ok();
  }
};

std::vector<int32_t> ints(const Tensor* t) {
  std::vector<int32_t> out;
  if (t)
    for (int64_t i = 0; i < t->numel(); ++i) out.push_back(static_cast<int32_t>(t->get_int64(i)));
  return out;
}

// Reads the constant parameters; false when the kernel does not take the node.
bool read_params(const PrepareContext& ctx, QGemmKernel& k, const Tensor& bt, int64_t N) {
  const Tensor* a_scale = constant_input(ctx, kAScale);
  const Tensor* b_scale = constant_input(ctx, kBScale);
  const Tensor* a_zp = has_input(ctx, kAZp) ? constant_input(ctx, kAZp) : nullptr;
  const Tensor* c = has_input(ctx, kC) ? constant_input(ctx, kC) : nullptr;
  const Tensor* y_scale = has_input(ctx, kYScale) ? constant_input(ctx, kYScale) : nullptr;
  const Tensor* y_zp = has_input(ctx, kYZp) ? constant_input(ctx, kYZp) : nullptr;
  if (!a_scale || !b_scale || a_scale->numel() != 1 || (b_scale->numel() != 1 && b_scale->numel() != N)) return false;
  if ((has_input(ctx, kAZp) && !a_zp) || (has_input(ctx, kC) && !c) || (has_input(ctx, kYScale) && !y_scale) ||
      (has_input(ctx, kYZp) && !y_zp))
    return false;
  if (c && (c->dtype() != DType::kInt32 || c->numel() != N || c->rank() > 2 || (c->rank() == 2 && c->shape()[0] != 1)))
    return false;
  const float alpha = ctx.node.attr_float("alpha", 1.0f);
  const float as = quant::scale_at(*a_scale, 0);
  k.a_zp = quant::zero_point_at(a_zp, 0) + (k.a_signed ? 128 : 0);
  k.y_type = ctx.output_types[0].dtype;
  k.y_zp = quant::zero_point_at(y_zp, 0);
  for (int64_t n = 0; n < N; ++n) {
    const float bs = quant::scale_at(*b_scale, b_scale->numel() == 1 ? 0 : n);
    k.mult.push_back(y_scale ? alpha * as * bs / quant::scale_at(*y_scale, 0) : alpha * as * bs);
    k.bias.push_back(c ? c->data<int32_t>()[n] : 0);
  }
  return true;
}

Prepared prepare_qgemm(const PrepareContext& ctx) {
  if (!int8_matmul_supported() || !has_input(ctx, kA) || !ctx.input_types[kA].fully_known()) return not_handled();
  const Tensor* b = constant_input(ctx, kB);
  const Shape a = input_shape(ctx, kA);
  if (!b || b->rank() != 2 || a.size() != 2) return not_handled();
  auto k = std::make_unique<QGemmKernel>();
  k->trans_a = ctx.node.attr_int("transA", 0) != 0;
  const bool tb = ctx.node.attr_int("transB", 0) != 0;
  k->M = k->trans_a ? a[1] : a[0];
  const int64_t K = k->trans_a ? a[0] : a[1], N = tb ? b->shape()[0] : b->shape()[1];
  if ((tb ? b->shape()[1] : b->shape()[0]) != K || K == 0 || N == 0) return not_handled();
  k->a_signed = ctx.input_types[kA].dtype == DType::kInt8;
  if (!k->a_signed && ctx.input_types[kA].dtype != DType::kUInt8) return not_handled();
  if (!read_params(ctx, *k, *b, N)) return not_handled();
  const Tensor* b_zp = has_input(ctx, kBZp) ? constant_input(ctx, kBZp) : nullptr;
  if (has_input(ctx, kBZp) && (!b_zp || (b_zp->numel() != 1 && b_zp->numel() != N))) return not_handled();
  if (b->dtype() == DType::kInt8) pack_int8_b(b->data<int8_t>(), K, N, tb, ints(b_zp), &k->b);
  else if (b->dtype() == DType::kUInt8) pack_int8_b(b->data<uint8_t>(), K, N, tb, ints(b_zp), &k->b);
  else return not_handled();
  k->qa.assign(static_cast<size_t>(k->M * k->b.k_groups * 4), 0);
  k->rowsum.assign(static_cast<size_t>(k->M), 0);
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "QGemm", .domain = "com.microsoft", .name = "int8_matmul", .prepare = prepare_qgemm);

}  // namespace ew::fast
