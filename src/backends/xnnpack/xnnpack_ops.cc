#include "backends/xnnpack/xnnpack_ops.h"

#include <limits>
#include <map>

namespace ew {

namespace {
std::map<std::pair<std::string, std::string>, XnnpackLowering>& lowerings() {
  static std::map<std::pair<std::string, std::string>, XnnpackLowering> r;
  return r;
}
}  // namespace

bool register_xnnpack_lowering(XnnpackLowering lowering) {
  auto key = std::make_pair(lowering.domain, lowering.op_type);
  lowerings()[key] = std::move(lowering);
  return true;
}

const XnnpackLowering* find_xnnpack_lowering(const Node& node) {
  auto it = lowerings().find({node.domain == "ai.onnx" ? "" : node.domain, node.op_type});
  return it == lowerings().end() ? nullptr : &it->second;
}

bool all_static_f32(const Node& node, const TypeLookup& types) {
  auto ok = [&](const std::string& name) {
    if (name.empty()) return true;
    const ValueType* t = types.type(name);
    return t && t->dtype == DType::kFloat32 && t->fully_known() && t->dims.size() <= 6;
  };
  for (const auto& in : node.inputs) if (!ok(in)) return false;
  for (const auto& out : node.outputs) if (!ok(out)) return false;
  return true;
}

Shape static_shape(const TypeLookup& types, const std::string& name) { return types.type(name)->concrete_shape(); }

bool clamp_bounds(const Node& node, const TypeLookup& types, float* lo, float* hi) {
  *lo = -std::numeric_limits<float>::infinity();
  *hi = std::numeric_limits<float>::infinity();
  if (node.op_type == "Relu") {
    *lo = 0;
    return true;
  }
  if (node.op_type != "Clip") return false;
  if (node.has_attr("min") || node.has_attr("max")) {
    *lo = node.attr_float("min", *lo);
    *hi = node.attr_float("max", *hi);
  }
  for (int i = 1; i <= 2; ++i) {
    if (!node.has_input(i)) continue;
    const Tensor* c = types.constant(node.inputs[i]);
    if (!c || c->numel() != 1 || c->dtype() != DType::kFloat32) return false;
    (i == 1 ? *lo : *hi) = c->data<float>()[0];
  }
  return *lo <= *hi;
}

}  // namespace ew
