// LayerNormalization (over the trailing axes from `axis`) and inference-mode
// BatchNormalization (where the optimizer could not fold it into a Conv), as
// oneDNN normalization primitives with constant scale / shift / statistics.
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"

namespace ew {

namespace {

using flags = dnnl::normalization_flags;

bool constant_f32(const TypeLookup& types, const std::string& name, int64_t numel) {
  const Tensor* t = types.constant(name);
  return t && t->dtype() == DType::kFloat32 && t->numel() == numel;
}

// Rows x columns of a layer norm: the leading axes before `axis` and the rest.
bool layer_norm_split(const Node& node, const Shape& x, int64_t* rows, int64_t* cols) {
  const int64_t rank = static_cast<int64_t>(x.size());
  int64_t axis = node.attr_int("axis", -1);
  if (axis < -rank || axis >= rank) return false;
  if (axis < 0) axis += rank;
  *rows = *cols = 1;
  for (int64_t i = 0; i < rank; ++i) (i < axis ? *rows : *cols) *= x[i];
  return true;
}

bool supports_layer_norm(const Node& node, const TypeLookup& types) {
  if (node.inputs.size() < 2 || node.outputs.size() != 1 || !all_static(node, types)) return false;
  int64_t rows = 0, cols = 0;
  if (!layer_norm_split(node, known_shape(types, node.inputs[0]), &rows, &cols)) return false;
  if (node.attr_int("stash_type", 1) != 1) return false;
  return constant_f32(types, node.inputs[1], cols) && (!node.has_input(2) || constant_f32(types, node.inputs[2], cols));
}

Status define_layer_norm(OnednnBuilder& b, const Node& node) {
  const Shape x = known_shape(b.types(), node.inputs[0]);
  int64_t rows = 0, cols = 0;
  if (!layer_norm_split(node, x, &rows, &cols)) return unsupported("axis");
  EW_ASSIGN_OR_RETURN(dnnl::memory plain, b.value_plain(node.inputs[0]));
  dnnl::memory src = b.view(plain, plain_desc({rows, cols}, DType::kFloat32));
  flags f = flags::use_scale | (node.has_input(2) ? flags::use_shift : flags::none);
  auto desc = dnnl::layer_normalization_forward::desc(dnnl::prop_kind::forward_inference, src.get_desc(),
                                                      node.attr_float("epsilon", 1e-5f), f);
  dnnl::layer_normalization_forward::primitive_desc pd(desc, b.attr(), onednn_engine());
  const dnnl::memory::desc vec = plain_desc({cols}, DType::kFloat32);
  EW_ASSIGN_OR_RETURN(dnnl::memory scale, b.constant_as(b.constant(node.inputs[1])->raw(), vec, vec));
  dnnl::memory out = b.temporary(src.get_desc());
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, out}, {DNNL_ARG_SCALE, scale}};
  if (node.has_input(2)) {
    EW_ASSIGN_OR_RETURN(dnnl::memory shift, b.constant_as(b.constant(node.inputs[2])->raw(), vec, vec));
    args[DNNL_ARG_SHIFT] = shift;
  }
  b.add(dnnl::layer_normalization_forward(pd), std::move(args), pd.scratchpad_desc());
  b.define_view(node.outputs[0], out, plain_desc(x, DType::kFloat32));
  return Status::ok();
}

bool supports_batch_norm(const Node& node, const TypeLookup& types) {
  if (node.inputs.size() != 5 || node.outputs.size() != 1 || !all_static(node, types)) return false;
  if (node.attr_int("training_mode", 0) != 0) return false;
  const Shape x = known_shape(types, node.inputs[0]);
  if (x.size() < 2) return false;
  for (int i = 1; i < 5; ++i)
    if (!constant_f32(types, node.inputs[i], x[1])) return false;
  return true;
}

Status define_batch_norm(OnednnBuilder& b, const Node& node) {
  const Shape x = known_shape(b.types(), node.inputs[0]);
  EW_ASSIGN_OR_RETURN(dnnl::memory src, b.value(node.inputs[0]));
  flags f = flags::use_global_stats | flags::use_scale | flags::use_shift;
  auto desc = dnnl::batch_normalization_forward::desc(dnnl::prop_kind::forward_inference, src.get_desc(),
                                                      node.attr_float("epsilon", 1e-5f), f);
  dnnl::batch_normalization_forward::primitive_desc pd(desc, b.attr(), onednn_engine());
  const dnnl::memory::desc vec = plain_desc({x[1]}, DType::kFloat32);
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, src}};
  const int arg[] = {DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE};
  for (int i = 0; i < 4; ++i) {
    EW_ASSIGN_OR_RETURN(dnnl::memory m, b.constant_tensor_as(*b.constant(node.inputs[1 + i]), vec));
    args[arg[i]] = m;
  }
  args[DNNL_ARG_DST] = b.define(node.outputs[0], pd.dst_desc());
  b.add(dnnl::batch_normalization_forward(pd), std::move(args), pd.scratchpad_desc());
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "LayerNormalization", .domain = "", .supports = supports_layer_norm,
                            .define = define_layer_norm);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "BatchNormalization", .domain = "", .supports = supports_batch_norm,
                            .define = define_batch_norm);

}  // namespace ew
