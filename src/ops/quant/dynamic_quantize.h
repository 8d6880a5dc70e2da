// Run-time uint8 quantization of a float tensor, as DynamicQuantizeLinear and
// ONNX Runtime's DynamicQuantizeMatMul do it: the range [min, max] widened to
// include 0, scale = (max - min) / 255 (1 when the range is empty),
// zp = round(clamp(-min / scale, 0, 255)), q = saturate(round(x / scale) + zp).
#pragma once

#include <algorithm>
#include <cmath>

#include "ops/quant/quant_util.h"

namespace ew::quant {

struct DynamicParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

// From the range [lo, hi] (already including 0).
inline DynamicParams dynamic_params_of(float lo, float hi) {
  DynamicParams p;
  p.scale = hi == lo ? 1.0f : (hi - lo) / 255.0f;
  p.zero_point = static_cast<int32_t>(std::nearbyint(std::clamp(0.0f - lo / p.scale, 0.0f, 255.0f)));
  return p;
}

// Fails (returns false) when x holds a NaN.
inline bool dynamic_params(const float* x, int64_t n, DynamicParams* p) {
  float lo = 0.0f, hi = 0.0f;
  for (int64_t i = 0; i < n; ++i) {
    if (std::isnan(x[i])) return false;
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  *p = dynamic_params_of(lo, hi);
  return true;
}

inline void dynamic_quantize(const float* x, int64_t n, const DynamicParams& p, uint8_t* q) {
  for (int64_t i = 0; i < n; ++i) q[i] = quantize_value<uint8_t>(x[i] / p.scale, p.zero_point);
}

}  // namespace ew::quant
