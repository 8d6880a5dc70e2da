// com.microsoft QLinearGlobalAveragePool in NCHW (channels_last = 0) on
// uint8/int8, as the reference computes it: acc = sum(x) - zx * size (int32),
// y = saturate(round(float(acc) * (sx / (sy * size))) + zy). Registered so the
// end of an int8 chain stays in NCHW beside the int8 convolutions.
#include "ops/fast/prepare_util.h"
#include "ops/quant/fast/int8_gemm.h"
#include "ops/quant/quant_util.h"

namespace ew::quant::fast {
namespace {

template <typename T>
void average_planes(const T* x, int64_t planes, int64_t size, float scale, int32_t zx, int32_t zy, T* y) {
  const int32_t bias = -zx * static_cast<int32_t>(size);
  for (int64_t c = 0; c < planes; ++c) {
    const T* p = x + c * size;
    int32_t acc = 0;
    for (int64_t i = 0; i < size; ++i) acc += static_cast<int32_t>(p[i]);
    y[c] = requantize<T>(acc + bias, scale, zy);
  }
}

class Int8GlobalAveragePool : public PreparedKernel {
 public:
  Int8GlobalAveragePool(bool is_signed, int64_t planes, int64_t size, float scale, int32_t zx, int32_t zy)
      : signed_(is_signed), planes_(planes), size_(size), scale_(scale), zx_(zx), zy_(zy) {}

  Status run(KernelContext& ctx) override {
    if (signed_)
      average_planes(ctx.input(0).data<int8_t>(), planes_, size_, scale_, zx_, zy_, ctx.output(0).data<int8_t>());
    else
      average_planes(ctx.input(0).data<uint8_t>(), planes_, size_, scale_, zx_, zy_, ctx.output(0).data<uint8_t>());
    return Status::ok();
  }

 private:
  bool signed_;
  int64_t planes_, size_;
  float scale_;
  int32_t zx_, zy_;
};

const Tensor* scalar(const PrepareContext& ctx, int i) {
  const Tensor* t = ew::fast::has_input(ctx, i) ? ew::fast::constant_input(ctx, i) : nullptr;
  return t && t->numel() == 1 ? t : nullptr;
}

Result<std::unique_ptr<PreparedKernel>> prepare_int8_gap(const PrepareContext& ctx) {
  if (!int8_kernels_supported() || ctx.input_types.size() < 4 || ctx.node.attr_int("channels_last", 0) != 0)
    return ew::fast::not_handled();
  const ValueType& x = ctx.input_types[0];
  if (!is_quant8(x.dtype) || !x.fully_known() || x.dims.size() < 3) return ew::fast::not_handled();
  const Tensor *sx = scalar(ctx, 1), *sy = scalar(ctx, 3);
  const bool zx_ok = !ew::fast::has_input(ctx, 2) || scalar(ctx, 2);
  const bool zy_ok = !ew::fast::has_input(ctx, 4) || scalar(ctx, 4);
  if (!sx || !sy || !zx_ok || !zy_ok) return ew::fast::not_handled();
  const Shape s = x.concrete_shape();
  const int64_t planes = s[0] * s[1];
  const int64_t size = planes == 0 ? 0 : shape_numel(s).value_or(0) / planes;
  if (size < 1 || size >= (int64_t{1} << 24)) return ew::fast::not_handled();
  const float scale = scale_at(*sx, 0) / (scale_at(*sy, 0) * static_cast<float>(size));
  return ew::fast::prepared(std::make_unique<Int8GlobalAveragePool>(
      x.dtype == DType::kInt8, planes, size, scale, zero_point_at(scalar(ctx, 2), 0), zero_point_at(scalar(ctx, 4), 0)));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "QLinearGlobalAveragePool", .domain = "com.microsoft", .since_version = 1,
                        .name = "int8_global_average_pool", .prepare = prepare_int8_gap);

}  // namespace ew::quant::fast
