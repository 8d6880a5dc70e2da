// Quantization parameters read from a node's constant inputs, as every
// backend lowering quantized ops needs them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backends/partition.h"

namespace ew {

// Quantization of a uint8 / int8 value: one scale and zero point.
struct QuantParams {
  DType dtype = DType::kUInt8;
  float scale = 1;
  int32_t zero_point = 0;
  bool operator==(const QuantParams& o) const {
    return dtype == o.dtype && scale == o.scale && zero_point == o.zero_point;
  }
};

// Reading quantization parameters from constant node inputs. Each returns
// false when the input is not a constant of the expected form.
// A constant float32 scalar (or 1-element) scale, finite and > 0.
bool const_scale(const TypeLookup& types, const std::string& name, float* scale);
// A constant uint8 / int8 scalar zero point of dtype `t`; an absent input ("") means 0.
bool const_zero_point(const TypeLookup& types, const std::string& name, DType t, int32_t* zp);
// Scale + zero point of a quantized value of dtype `t` (zero point input optional).
bool const_quant(const TypeLookup& types, const std::string& scale, const std::string& zp, DType t, QuantParams* q);

// Per-channel (or one) weight scales of `count` channels: finite and > 0.
bool const_scales(const TypeLookup& types, const std::string& name, int64_t count, std::vector<float>* scales);
// True when every weight zero point (absent = 0) equals `want`.
bool const_zero_points_are(const TypeLookup& types, const std::string& name, DType t, int64_t count, int32_t want);

}  // namespace ew
