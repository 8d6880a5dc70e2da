// Softmax and LogSoftmax over one axis (opset 13+), or over the flattened
// trailing axes of opsets before 13, on plain float32 tensors.
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"

namespace ew {

namespace {

struct SoftmaxShape {
  Shape shape;  // what the primitive sees
  int axis = 0;
};

Result<SoftmaxShape> softmax_shape(const Node& node, int64_t opset, const Shape& x) {
  const int64_t rank = static_cast<int64_t>(x.size());
  int64_t axis = node.attr_int("axis", opset >= 13 ? -1 : 1);
  if (axis < -rank || axis >= rank) return unsupported("axis");
  if (axis < 0) axis += rank;
  if (opset >= 13) return SoftmaxShape{x, static_cast<int>(axis)};
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i) (i < axis ? outer : inner) *= x[i];
  return SoftmaxShape{{outer, inner}, 1};
}

bool supports_softmax(const Node& node, const TypeLookup& types) {
  if (node.inputs.size() != 1 || node.outputs.size() != 1 || !all_static(node, types)) return false;
  return softmax_shape(node, types.opset(""), known_shape(types, node.inputs[0])).is_ok();
}

Status define_softmax(OnednnBuilder& b, const Node& node) {
  const Shape x = known_shape(b.types(), node.inputs[0]);
  EW_ASSIGN_OR_RETURN(SoftmaxShape s, softmax_shape(node, b.types().opset(""), x));
  EW_ASSIGN_OR_RETURN(dnnl::memory plain, b.value_plain(node.inputs[0]));
  dnnl::memory src = b.view(plain, plain_desc(s.shape, DType::kFloat32));
  dnnl::algorithm alg = node.op_type == "LogSoftmax" ? dnnl::algorithm::softmax_log : dnnl::algorithm::softmax_accurate;
  auto desc = dnnl::softmax_v2_forward::desc(dnnl::prop_kind::forward_inference, alg, src.get_desc(), src.get_desc(), s.axis);
  dnnl::softmax_v2_forward::primitive_desc pd(desc, b.attr(), onednn_engine());
  dnnl::memory out = b.temporary(pd.dst_desc());
  b.add(dnnl::softmax_v2_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, out}}, pd.scratchpad_desc());
  b.define_view(node.outputs[0], out, plain_desc(known_shape(b.types(), node.outputs[0]), DType::kFloat32));
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "Softmax", .domain = "", .supports = supports_softmax, .define = define_softmax);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "LogSoftmax", .domain = "", .supports = supports_softmax,
                            .define = define_softmax);

}  // namespace ew
