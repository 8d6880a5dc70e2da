#include "backends/quant_constants.h"

#include <cmath>

namespace ew {

bool const_scale(const TypeLookup& types, const std::string& name, float* scale) {
  const Tensor* t = name.empty() ? nullptr : types.constant(name);
  if (!t || t->dtype() != DType::kFloat32 || t->numel() != 1 || t->shape().size() > 1) return false;
  *scale = t->data<float>()[0];
  return std::isfinite(*scale) && *scale > 0;
}

bool const_zero_point(const TypeLookup& types, const std::string& name, DType dt, int32_t* zp) {
  if (name.empty()) {
    *zp = 0;
    return true;
  }
  const Tensor* t = types.constant(name);
  if (!t || t->dtype() != dt || t->numel() != 1 || t->shape().size() > 1) return false;
  *zp = dt == DType::kInt8 ? int32_t(t->data<int8_t>()[0]) : int32_t(t->data<uint8_t>()[0]);
  return true;
}

bool const_quant(const TypeLookup& types, const std::string& scale, const std::string& zp, DType t, QuantParams* q) {
  if (t != DType::kUInt8 && t != DType::kInt8) return false;
  q->dtype = t;
  return const_scale(types, scale, &q->scale) && const_zero_point(types, zp, t, &q->zero_point);
}

bool const_scales(const TypeLookup& types, const std::string& name, int64_t count, std::vector<float>* scales) {
  const Tensor* s = name.empty() ? nullptr : types.constant(name);
  if (!s || s->dtype() != DType::kFloat32 || s->shape().size() > 1 || (s->numel() != 1 && s->numel() != count))
    return false;
  scales->assign(s->data<float>(), s->data<float>() + s->numel());
  for (float v : *scales)
    if (!(v > 0) || !std::isfinite(v)) return false;
  return true;
}

bool const_zero_points_are(const TypeLookup& types, const std::string& name, DType t, int64_t count, int32_t want) {
  if (name.empty()) return want == 0;
  const Tensor* z = types.constant(name);
  if (!z || z->dtype() != t || z->shape().size() > 1 || (z->numel() != 1 && z->numel() != count)) return false;
  for (int64_t i = 0; i < z->numel(); ++i) {
    int32_t v = t == DType::kInt8 ? int32_t(z->data<int8_t>()[i]) : int32_t(z->data<uint8_t>()[i]);
    if (v != want) return false;
  }
  return true;
}

}  // namespace ew
