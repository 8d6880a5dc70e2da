#include "core/dtype.h"

namespace ew {

size_t dtype_size(DType t) {
  switch (t) {
#define EW_DTYPE_SIZE(e, n, ty, s) \
  case DType::e: return sizeof(ty);
    EW_DTYPE_LIST(EW_DTYPE_SIZE)
#undef EW_DTYPE_SIZE
    default: return 0;
  }
}

const char* dtype_name(DType t) {
  switch (t) {
#define EW_DTYPE_NAME(e, n, ty, s) \
  case DType::e: return s;
    EW_DTYPE_LIST(EW_DTYPE_NAME)
#undef EW_DTYPE_NAME
    default: return "undefined";
  }
}

Result<DType> dtype_from_onnx(int onnx_type) {
  switch (onnx_type) {
#define EW_DTYPE_FROM(e, n, ty, s) \
  case n: return DType::e;
    EW_DTYPE_LIST(EW_DTYPE_FROM)
#undef EW_DTYPE_FROM
    case 8: return unsupported("string tensors are not supported");
    case 14: case 15: return unsupported("complex tensors are not supported");
    default: return unsupported("tensor data type " + std::to_string(onnx_type) + " is not supported");
  }
}

Result<DType> dtype_from_name(const std::string& name) {
#define EW_DTYPE_PARSE(e, n, ty, s) \
  if (name == s) return DType::e;
  EW_DTYPE_LIST(EW_DTYPE_PARSE)
#undef EW_DTYPE_PARSE
  if (name == "float") return DType::kFloat32;
  if (name == "double") return DType::kFloat64;
  if (name == "half") return DType::kFloat16;
  return invalid_argument("unknown data type name '" + name + "'");
}

bool is_float(DType t) {
  return t == DType::kFloat32 || t == DType::kFloat64 || t == DType::kFloat16 || t == DType::kBFloat16;
}

bool is_signed_int(DType t) {
  return t == DType::kInt8 || t == DType::kInt16 || t == DType::kInt32 || t == DType::kInt64;
}

bool is_unsigned_int(DType t) {
  return t == DType::kUInt8 || t == DType::kUInt16 || t == DType::kUInt32 || t == DType::kUInt64;
}

}  // namespace ew
