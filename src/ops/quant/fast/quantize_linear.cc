// QuantizeLinear float32 -> uint8/int8 with a per-tensor scale, AVX-512, the
// reference's arithmetic: y = saturate(round_half_even(x / scale) + zp).
// Lets the quantization of a model's input run in NCHW right before the
// int8 convolutions instead of in an XNNPACK partition of its own.
#include <algorithm>

#include "ops/fast/prepare_util.h"
#include "ops/quant/fast/int8_gemm.h"
#include "ops/quant/fast/int8_simd.h"
#include "ops/quant/fast/qlinear_conv_params.h"
#include "ops/quant/quant_util.h"

namespace ew::quant::fast {
namespace {


class Int8Quantize : public PreparedKernel {
 public:
  Int8Quantize(float scale, bool is_signed, int32_t zp) : scale_(scale), signed_(is_signed), zp_(zp) {}

  Status run(KernelContext& ctx) override {
#ifdef EW_INT8_X86
    quantize_range(ctx.input(0).data<float>(), ctx.output(0).numel(), scale_, signed_, zp_,
                   ctx.output(0).data<uint8_t>());
#endif
    return Status::ok();
  }

 private:
  float scale_;
  bool signed_;
  int32_t zp_;
};

Result<std::unique_ptr<PreparedKernel>> prepare_int8_quantize(const PrepareContext& ctx) {
  if (!int8_kernels_supported() || ctx.output_types.empty() || !ew::fast::is_f32(ctx, 0)) return ew::fast::not_handled();
  const DType yt = ctx.output_types[0].dtype;
  const Tensor* scale = ew::fast::has_input(ctx, 1) ? ew::fast::constant_input(ctx, 1) : nullptr;
  const Tensor* zp = ew::fast::has_input(ctx, 2) ? ew::fast::constant_input(ctx, 2) : nullptr;
  if (!is_quant8(yt) || !scale || scale->numel() != 1 || scale->dtype() != DType::kFloat32)
    return ew::fast::not_handled();
  if (ew::fast::has_input(ctx, 2) && (!zp || zp->numel() != 1)) return ew::fast::not_handled();
  if (ctx.opset >= 21 && ctx.node.attr_int("block_size", 0) != 0) return ew::fast::not_handled();
  return ew::fast::prepared(
      std::make_unique<Int8Quantize>(scale_at(*scale, 0), yt == DType::kInt8, zero_point_at(zp, 0)));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "QuantizeLinear", .domain = "", .since_version = 10, .name = "int8_quantize",
                        .prepare = prepare_int8_quantize);

}  // namespace ew::quant::fast
