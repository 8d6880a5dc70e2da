// How each ONNX op becomes XNNPACK subgraph nodes. One lowering per op
// family file (lower_*.cc), each registering the ops it handles.
#pragma once

#include <string>

#include "backends/xnnpack/xnnpack_builder.h"

namespace ew {

struct XnnpackLowering {
  std::string op_type;
  std::string domain;
  // True when this node (static float32 or quantized 8-bit types, known attributes) lowers exactly.
  bool (*supports)(const Node& node, const TypeLookup& types) = nullptr;
  Status (*define)(XnnpackBuilder& b, const Node& node) = nullptr;
};

bool register_xnnpack_lowering(XnnpackLowering lowering);
const XnnpackLowering* find_xnnpack_lowering(const Node& node);

// Shared checks: every present input and output has a static float32 type.
bool all_static_f32(const Node& node, const TypeLookup& types);
// Static shape of a value (call only after all_static_f32).
Shape static_shape(const TypeLookup& types, const std::string& name);
// Clamp bounds of a Relu / Clip node (Clip bounds must be constants).
bool clamp_bounds(const Node& node, const TypeLookup& types, float* lo, float* hi);

}  // namespace ew

#define EW_REGISTER_XNNPACK_LOWERING(...)                                        \
  static const bool EW_CONCAT(ew_registered_xnnpack_lowering_, __LINE__) = \
      ::ew::register_xnnpack_lowering(::ew::XnnpackLowering{__VA_ARGS__})
