#include "backends/onednn/onednn_ops.h"

#include <map>

namespace ew {

namespace {
std::map<std::pair<std::string, std::string>, OnednnLowering>& lowerings() {
  static std::map<std::pair<std::string, std::string>, OnednnLowering> r;
  return r;
}
}  // namespace

bool register_onednn_lowering(OnednnLowering lowering) {
  auto key = std::make_pair(lowering.domain, lowering.op_type);
  lowerings()[key] = std::move(lowering);
  return true;
}

const OnednnLowering* find_onednn_lowering(const Node& node) {
  auto it = lowerings().find({node.domain == "ai.onnx" ? "" : node.domain, node.op_type});
  return it == lowerings().end() ? nullptr : &it->second;
}

bool all_static(const Node& node, const TypeLookup& types, std::initializer_list<DType> dtypes) {
  auto ok = [&](const std::string& name) {
    if (name.empty()) return true;
    const ValueType* t = types.type(name);
    if (!t || !t->fully_known() || t->dims.size() > 6) return false;
    if (t->dims.empty() && !types.constant(name)) return false;  // scalars only as constants (scales, zero points)
    for (const Dim& d : t->dims)
      if (d.value <= 0) return false;
    for (DType d : dtypes)
      if (t->dtype == d) return true;
    return false;
  };
  for (const auto& in : node.inputs)
    if (!ok(in)) return false;
  for (const auto& out : node.outputs)
    if (!ok(out)) return false;
  return true;
}

Shape known_shape(const TypeLookup& types, const std::string& name) { return types.type(name)->concrete_shape(); }

dnnl::memory::data_type onednn_dtype(DType t) {
  using dt = dnnl::memory::data_type;
  switch (t) {
    case DType::kFloat32: return dt::f32;
    case DType::kFloat16: return dt::f16;
    case DType::kBFloat16: return dt::bf16;
    case DType::kInt32: return dt::s32;
    case DType::kInt8: return dt::s8;
    case DType::kUInt8: return dt::u8;
    default: return dt::undef;
  }
}

dnnl::memory::dims onednn_dims(const Shape& s) { return dnnl::memory::dims(s.begin(), s.end()); }

dnnl::memory::desc plain_desc(const Shape& s, DType t) {
  dnnl::memory::dims strides(s.size(), 1);
  for (int i = static_cast<int>(s.size()) - 2; i >= 0; --i) strides[i] = strides[i + 1] * s[i + 1];
  return dnnl::memory::desc(onednn_dims(s), onednn_dtype(t), strides);
}

Status onednn_error(const dnnl::error& e, const std::string& what) {
  return unsupported("oneDNN cannot build " + what + ": " + e.what());
}

}  // namespace ew
