// How each ONNX op becomes oneDNN primitives. One lowering per op family file
// (lower_*.cc), each registering the ops it handles, like the XNNPACK backend.
#pragma once

#include <dnnl.hpp>

#include <string>

#include "backends/onednn/onednn_builder.h"

namespace ew {

struct OnednnLowering {
  std::string op_type;
  std::string domain;
  // True when this node (static types the lowering handles, known attributes) lowers exactly.
  bool (*supports)(const Node& node, const TypeLookup& types) = nullptr;
  Status (*define)(OnednnBuilder& b, const Node& node) = nullptr;
};

bool register_onednn_lowering(OnednnLowering lowering);
const OnednnLowering* find_onednn_lowering(const Node& node);

// Every present input and output has a static type of one of `dtypes` (rank
// 1..6; constants may be scalars).
bool all_static(const Node& node, const TypeLookup& types, std::initializer_list<DType> dtypes = {DType::kFloat32});
// Static shape of a value (call only after all_static).
Shape known_shape(const TypeLookup& types, const std::string& name);
// oneDNN's data type for ours; undef when it has none.
dnnl::memory::data_type onednn_dtype(DType t);
dnnl::memory::dims onednn_dims(const Shape& s);
// A dense row-major (ONNX layout) descriptor.
dnnl::memory::desc plain_desc(const Shape& s, DType t);
// Status for a oneDNN exception, naming what was being built.
Status onednn_error(const dnnl::error& e, const std::string& what);

}  // namespace ew

#define EW_REGISTER_ONEDNN_LOWERING(...)                                       \
  static const bool EW_CONCAT(ew_registered_onednn_lowering_, __LINE__) = \
      ::ew::register_onednn_lowering(::ew::OnednnLowering{__VA_ARGS__})
