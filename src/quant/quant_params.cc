#include "quant/quant_params.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ew::quant {

QuantRange quant_range(DType type) {
  if (type == DType::kUInt8) return {0, 255};
  return {-128, 127};
}

QuantRange quant_range_bits(int bits, bool is_signed) {
  const int32_t levels = int32_t{1} << bits;
  if (is_signed) return {-levels / 2, levels / 2 - 1};
  return {0, levels - 1};
}

QuantParams params_from_range(float min, float max, QuantRange range, bool symmetric) {
  double lo = std::min(0.0, static_cast<double>(min));
  double hi = std::max(0.0, static_cast<double>(max));
  double qlo = range.lo, qhi = range.hi;
  if (symmetric) {
    const double absmax = std::max(std::fabs(lo), std::fabs(hi));
    lo = -absmax;
    hi = absmax;
    if (range.lo < 0) qlo = -qhi;  // ORT: signed symmetric uses [-127, 127] so zero sits in the middle
  }
  QuantParams p;
  const double scale = (hi - lo) / (qhi - qlo);
  if (!(scale >= std::numeric_limits<float>::min()) || !std::isfinite(static_cast<float>(scale))) {
    p.scale = 1.0f;
    p.zero_point = symmetric && range.lo >= 0 ? (range.lo + range.hi + 1) / 2 : std::clamp(0, range.lo, range.hi);
    return p;
  }
  p.scale = static_cast<float>(scale);
  // As ORT: symmetric zero point round((qlo + qhi) / 2) (0 or 128) independent of the scale;
  // asymmetric from the float64 scale before it is rounded to float32.
  const double zp = symmetric ? std::nearbyint((qlo + qhi) / 2.0) : std::nearbyint(qlo - lo / scale);
  p.zero_point = static_cast<int32_t>(std::clamp(zp, static_cast<double>(range.lo), static_cast<double>(range.hi)));
  return p;
}

int32_t quantize_value(float x, const QuantParams& p, QuantRange range) {
  const double v = std::nearbyint(static_cast<double>(x) / p.scale) + p.zero_point;  // ties to even (default FE mode)
  if (std::isnan(v)) return std::clamp(0, range.lo, range.hi);
  return static_cast<int32_t>(std::clamp(v, static_cast<double>(range.lo), static_cast<double>(range.hi)));
}

namespace {

// Quantizes the elements [c*inner + k*channels*inner ...] of one channel.
struct ChannelView {
  int64_t outer = 1, channels = 1, inner = 1;
  template <typename Fn>
  void for_each(int64_t c, Fn&& fn) const {
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) fn((o * channels + c) * inner + i);
  }
};

// Channels along `axis` of a tensor of `shape`; one channel when axis < 0.
ChannelView channel_view(const Shape& shape, int axis) {
  ChannelView view;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d) {
    if (axis < 0 || d > axis)
      view.inner *= shape[d];
    else if (d < axis)
      view.outer *= shape[d];
    else
      view.channels = shape[d];
  }
  return view;
}

template <typename Q>
void quantize_channels(const float* w, const ChannelView& view, QuantRange range, bool symmetric, Q* values,
                       float* scales, Q* zps) {
  for (int64_t c = 0; c < view.channels; ++c) {
    float lo = 0.0f, hi = 0.0f;
    view.for_each(c, [&](int64_t i) {
      if (std::isfinite(w[i])) lo = std::min(lo, w[i]), hi = std::max(hi, w[i]);
    });
    const QuantParams p = params_from_range(lo, hi, range, symmetric);
    scales[c] = p.scale;
    zps[c] = static_cast<Q>(p.zero_point);
    view.for_each(c, [&](int64_t i) { values[i] = static_cast<Q>(quantize_value(w[i], p, range)); });
  }
}

}  // namespace

Result<QuantizedTensor> quantize_tensor(const Tensor& w, DType type, int axis, bool symmetric, bool reduce_range) {
  if (w.dtype() != DType::kFloat32)
    return invalid_argument("quantize_tensor: weight is " + w.describe() + ", need float32");
  if (type != DType::kInt8 && type != DType::kUInt8)
    return invalid_argument(std::string("quantize_tensor: target type ") + dtype_name(type) + " is not int8 or uint8");
  if (axis >= w.rank())
    return invalid_argument("quantize_tensor: axis " + std::to_string(axis) + " out of range for " + w.describe());
  const ChannelView view = channel_view(w.shape(), axis);
  QuantizedTensor out;
  EW_ASSIGN_OR_RETURN(out.values, Tensor::create(type, w.shape()));
  Shape param_shape = axis < 0 ? Shape{} : Shape{view.channels};
  EW_ASSIGN_OR_RETURN(out.scale, Tensor::create(DType::kFloat32, param_shape));
  EW_ASSIGN_OR_RETURN(out.zero_point, Tensor::create(type, param_shape));
  QuantRange range = quant_range(type);
  if (reduce_range) range = type == DType::kInt8 ? QuantRange{-64, 63} : QuantRange{0, 127};
  if (type == DType::kInt8)
    quantize_channels(w.data<float>(), view, range, symmetric, out.values.data<int8_t>(), out.scale.data<float>(),
                      out.zero_point.data<int8_t>());
  else
    quantize_channels(w.data<float>(), view, range, symmetric, out.values.data<uint8_t>(), out.scale.data<float>(),
                      out.zero_point.data<uint8_t>());
  return out;
}

double sqnr_db(const Tensor& exact, const Tensor& approx) {
  const int64_t n = std::min(exact.numel(), approx.numel());
  double signal = 0.0, noise = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const double x = exact.get_double(i), d = x - approx.get_double(i);
    signal += x * x;
    noise += d * d;
  }
  if (noise == 0.0) return 200.0;
  if (signal == 0.0) return -200.0;
  return std::clamp(10.0 * std::log10(signal / noise), -200.0, 200.0);
}

}  // namespace ew::quant

namespace ew::quant {

Result<Tensor> dequantize_tensor(const QuantizedTensor& q, int axis) {
  const Tensor& v = q.values;
  if (axis >= v.rank()) return invalid_argument("dequantize_tensor: axis " + std::to_string(axis) + " out of range");
  const ChannelView view = channel_view(v.shape(), axis);
  if (q.scale.numel() != view.channels || q.zero_point.numel() != view.channels)
    return invalid_argument("dequantize_tensor: " + std::to_string(q.scale.numel()) + " scales for " +
                            std::to_string(view.channels) + " channels");
  EW_ASSIGN_OR_RETURN(Tensor out, Tensor::create(DType::kFloat32, v.shape()));
  float* o = out.data<float>();
  for (int64_t c = 0; c < view.channels; ++c) {
    const double s = q.scale.get_double(c), zp = q.zero_point.get_double(c);
    view.for_each(c, [&](int64_t i) { o[i] = static_cast<float>((v.get_double(i) - zp) * s); });
  }
  return out;
}

}  // namespace ew::quant
