// Concat of float32 or 8-bit tensors along one axis. Where the sources are
// this partition's own values in the destination's layout (SqueezeNet's fire
// modules, Inception blocks: batch 1, channel slices on block boundaries),
// their producers write straight into their slices and the concat costs
// nothing; otherwise a concat primitive copies, each source in its own layout.
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"

namespace ew {

namespace {

bool supports_concat(const Node& node, const TypeLookup& types) {
  if (node.outputs.size() != 1 || node.inputs.empty()) return false;
  if (!all_static(node, types, {DType::kFloat32, DType::kUInt8, DType::kInt8})) return false;
  for (const auto& in : node.inputs)
    if (in.empty() || types.type(in)->dtype != types.type(node.outputs[0])->dtype) return false;
  const int64_t rank = static_cast<int64_t>(types.type(node.outputs[0])->dims.size());
  const int64_t axis = node.attr_int("axis", 0);
  return axis >= -rank && axis < rank;
}

Status define_concat(OnednnBuilder& b, const Node& node) {
  const ValueType& yt = *b.type(node.outputs[0]);
  const int64_t rank = static_cast<int64_t>(yt.dims.size());
  int64_t axis = node.attr_int("axis", 0);
  if (axis < 0) axis += rank;
  std::vector<dnnl::memory> sources;
  for (const auto& in : node.inputs) {
    EW_ASSIGN_OR_RETURN(dnnl::memory m, b.value(in));
    sources.push_back(m);
  }
  auto build = [&](std::vector<dnnl::memory>& srcs) {
    std::vector<dnnl::memory::desc> descs;
    for (const auto& m : srcs) descs.push_back(m.get_desc());
    dnnl::memory::desc dst(onednn_dims(yt.concrete_shape()), onednn_dtype(yt.dtype), dnnl::memory::format_tag::any);
    dnnl::concat::primitive_desc pd(dst, static_cast<int>(axis), descs, onednn_engine(), b.attr());
    std::unordered_map<int, dnnl::memory> args;
    for (size_t i = 0; i < srcs.size(); ++i) args[DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i)] = srcs[i];
    args[DNNL_ARG_DST] = b.define(node.outputs[0], pd.dst_desc());
    b.add(dnnl::concat(pd), std::move(args), pd.scratchpad_desc());
  };
  try {
    std::vector<dnnl::memory::desc> descs;
    for (const auto& m : sources) descs.push_back(m.get_desc());
    dnnl::memory::desc any(onednn_dims(yt.concrete_shape()), onednn_dtype(yt.dtype), dnnl::memory::format_tag::any);
    dnnl::concat::primitive_desc pd(any, static_cast<int>(axis), descs, onednn_engine(), b.attr());
    if (b.concat_in_place(node.inputs, static_cast<int>(axis), pd.dst_desc(), node.outputs[0])) return Status::ok();
    build(sources);
  } catch (const dnnl::error&) {  // sources in layouts concat cannot mix: make them plain
    for (size_t i = 0; i < sources.size(); ++i) {
      EW_ASSIGN_OR_RETURN(sources[i], b.value_plain(node.inputs[i]));
    }
    try {
      build(sources);
    } catch (const dnnl::error& e) {
      return onednn_error(e, node.label());
    }
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "Concat", .domain = "", .supports = supports_concat, .define = define_concat);

}  // namespace ew
