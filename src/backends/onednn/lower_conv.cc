// Conv and com.microsoft::FusedConv (Conv + optional sum input Z + activation)
// as one oneDNN convolution: the sum and the activation are post-ops, the
// weights are reordered once into the layout the chosen implementation wants,
// and source and destination take whatever blocked layout it prefers.
#include "backends/onednn/onednn_activation.h"
#include "backends/onednn/onednn_conv.h"
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"

namespace ew {

namespace {

using md = dnnl::memory::desc;
using tag = dnnl::memory::format_tag;

bool supports_conv(const Node& node, const TypeLookup& types) {
  if (!all_static(node, types) || node.num_inputs() < 2 || !types.constant(node.inputs[1])) return false;
  if (node.has_input(2) && !types.constant(node.inputs[2])) return false;
  if (!FusedActivation::of(node).is_ok()) return false;
  if (node.has_input(3) && known_shape(types, node.inputs[3]) != known_shape(types, node.outputs[0])) return false;
  return onednn_conv_geometry(node, known_shape(types, node.inputs[0]), known_shape(types, node.inputs[1])).is_ok();
}

Status define_conv(OnednnBuilder& b, const Node& node) {
  const Shape x = known_shape(b.types(), node.inputs[0]), w = known_shape(b.types(), node.inputs[1]);
  const Shape y = known_shape(b.types(), node.outputs[0]);
  EW_ASSIGN_OR_RETURN(OnednnConvGeometry g, onednn_conv_geometry(node, x, w));
  EW_ASSIGN_OR_RETURN(FusedActivation act, FusedActivation::of(node));
  const auto f32 = dnnl::memory::data_type::f32;
  const Shape wd = onednn_weight_dims(w, g.group);
  md src(onednn_dims(x), f32, tag::any), wei(onednn_dims(wd), f32, tag::any), dst(onednn_dims(y), f32, tag::any);
  md bias = node.has_input(2) ? md({w[0]}, f32, tag::a) : md();
  auto desc = dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                              src, wei, bias, dst, g.strides, g.dilates, g.pad_l, g.pad_r);
  dnnl::post_ops po;
  if (node.has_input(3)) po.append_sum(1.f);
  append_activation(po, act);
  dnnl::primitive_attr attr = b.attr();
  attr.set_post_ops(po);
  dnnl::convolution_forward::primitive_desc pd(desc, attr, onednn_engine());
  EW_ASSIGN_OR_RETURN(dnnl::memory in, b.value_as(node.inputs[0], pd.src_desc()));
  const Tensor& wt = *b.constant(node.inputs[1]);
  EW_ASSIGN_OR_RETURN(dnnl::memory weights, b.constant_as(wt.raw(), plain_desc(wd, DType::kFloat32), pd.weights_desc()));
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, in}, {DNNL_ARG_WEIGHTS, weights}};
  if (node.has_input(2)) {
    EW_ASSIGN_OR_RETURN(dnnl::memory bm, b.constant_tensor_as(*b.constant(node.inputs[2]), pd.bias_desc()));
    args[DNNL_ARG_BIAS] = bm;
  }
  dnnl::memory out;
  if (node.has_input(3)) {  // the sum post-op accumulates into dst, which starts as Z
    EW_ASSIGN_OR_RETURN(out, b.value_to_overwrite(node.inputs[3], pd.dst_desc()));
    b.define_same(node.outputs[0], out);
  } else {
    out = b.define(node.outputs[0], pd.dst_desc());
  }
  args[DNNL_ARG_DST] = out;
  b.add(dnnl::convolution_forward(pd), std::move(args), pd.scratchpad_desc());
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "Conv", .domain = "", .supports = supports_conv, .define = define_conv);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "FusedConv", .domain = "com.microsoft", .supports = supports_conv,
                            .define = define_conv);

}  // namespace ew
