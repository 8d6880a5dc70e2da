#include "quant/quantize.h"

namespace ew::quant {

Result<QuantMode> quant_mode_from_name(const std::string& name) {
  if (name == "static") return QuantMode::kStatic;
  if (name == "dynamic") return QuantMode::kDynamic;
  if (name == "fp16") return QuantMode::kFp16;
  if (name == "int4") return QuantMode::kInt4;
  return invalid_argument("quantization mode must be static, dynamic, fp16 or int4, got '" + name + "'");
}

const char* quant_mode_name(QuantMode m) {
  switch (m) {
    case QuantMode::kStatic: return "static";
    case QuantMode::kDynamic: return "dynamic";
    case QuantMode::kFp16: return "fp16";
    case QuantMode::kInt4: return "int4";
  }
  return "unknown";
}

}  // namespace ew::quant
