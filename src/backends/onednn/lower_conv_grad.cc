// A Conv's backward steps as oneDNN's backward primitives:
//   ConvGradInput(dY, W, X_like)       -> dX      convolution_backward_data
//   ConvGradFilter(dY, X, W_like)      -> dW[, dB] convolution_backward_weights
// (ops/grad/conv_grad_geometry.h). Both are described against the forward
// training convolution they differentiate, as oneDNN requires; dY, X and the
// weights are read in whatever blocked layout the chosen implementation wants.
// Weights and their gradient are values here (they change every step), so
// grouped weights pass through a plain G x O/G x I/G x ... view of their bytes.
#include "backends/onednn/onednn_conv.h"
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"
#include "ops/grad/grad_domain.h"

namespace ew {

namespace {

using md = dnnl::memory::desc;
using tag = dnnl::memory::format_tag;
constexpr auto kF32 = dnnl::memory::data_type::f32;

struct ConvGradDescs {
  Shape x, w, dy;
  OnednnConvGeometry g;
  md src, wei, dst;  // format any
  dnnl::convolution_forward::primitive_desc forward;
};

// X, W and dY from the node's inputs: (dY, W, X_like) or (dY, X, W_like).
Result<ConvGradDescs> describe(const OnednnBuilder& b, const Node& node, bool filter) {
  ConvGradDescs d;
  d.dy = known_shape(b.types(), node.inputs[0]);
  d.x = known_shape(b.types(), node.inputs[filter ? 1 : 2]);
  d.w = known_shape(b.types(), node.inputs[filter ? 2 : 1]);
  EW_ASSIGN_OR_RETURN(d.g, onednn_conv_geometry(node, d.x, d.w));
  d.src = md(onednn_dims(d.x), kF32, tag::any);
  d.wei = md(onednn_dims(onednn_weight_dims(d.w, d.g.group)), kF32, tag::any);
  d.dst = md(onednn_dims(d.dy), kF32, tag::any);
  auto fwd = dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                             d.src, d.wei, d.dst, d.g.strides, d.g.dilates, d.g.pad_l, d.g.pad_r);
  d.forward = dnnl::convolution_forward::primitive_desc(fwd, onednn_engine());
  return d;
}

bool supports_conv_grad(const Node& node, const TypeLookup& types) {
  if (!all_static(node, types) || node.num_inputs() != 3) return false;
  const bool filter = node.op_type == "ConvGradFilter";
  const Shape x = known_shape(types, node.inputs[filter ? 1 : 2]), w = known_shape(types, node.inputs[filter ? 2 : 1]);
  return onednn_conv_geometry(node, x, w).is_ok();
}

// The plain weights value (ONNX OIHW bytes) as the grouped dims oneDNN uses.
Result<dnnl::memory> plain_weights(OnednnBuilder& b, const std::string& name, const ConvGradDescs& d) {
  EW_ASSIGN_OR_RETURN(dnnl::memory plain, b.value_plain(name));
  return b.view(plain, plain_desc(onednn_weight_dims(d.w, d.g.group), DType::kFloat32));
}

// `from` reordered into layout `want` by a primitive of the program (or itself when it already is).
dnnl::memory reordered(OnednnBuilder& b, const dnnl::memory& from, const md& want) {
  if (from.get_desc() == want) return from;
  dnnl::memory to = b.temporary(want);
  dnnl::reorder::primitive_desc pd(from, to, b.attr());
  b.add(dnnl::reorder(pd), {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}}, pd.scratchpad_desc());
  return to;
}

Status define_conv_grad_input(OnednnBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(ConvGradDescs d, describe(b, node, false));
  auto desc = dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, d.src, d.wei, d.dst,
                                                    d.g.strides, d.g.dilates, d.g.pad_l, d.g.pad_r);
  dnnl::convolution_backward_data::primitive_desc pd(desc, b.attr(), onednn_engine(), d.forward);
  EW_ASSIGN_OR_RETURN(dnnl::memory dy, b.value_as(node.inputs[0], pd.diff_dst_desc()));
  EW_ASSIGN_OR_RETURN(dnnl::memory w, plain_weights(b, node.inputs[1], d));
  dnnl::memory weights = reordered(b, w, pd.weights_desc());
  dnnl::memory dx = b.define(node.outputs[0], pd.diff_src_desc());
  b.add(dnnl::convolution_backward_data(pd), {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DIFF_SRC, dx}},
        pd.scratchpad_desc());
  return Status::ok();
}

Status define_conv_grad_filter(OnednnBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(ConvGradDescs d, describe(b, node, true));
  const bool bias = node.outputs.size() > 1 && !node.outputs[1].empty();
  md db = bias ? md({d.w[0]}, kF32, tag::a) : md();
  auto desc = dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, d.src, d.wei, db, d.dst,
                                                       d.g.strides, d.g.dilates, d.g.pad_l, d.g.pad_r);
  dnnl::convolution_backward_weights::primitive_desc pd(desc, b.attr(), onednn_engine(), d.forward);
  EW_ASSIGN_OR_RETURN(dnnl::memory dy, b.value_as(node.inputs[0], pd.diff_dst_desc()));
  EW_ASSIGN_OR_RETURN(dnnl::memory x, b.value_as(node.inputs[1], pd.src_desc()));
  dnnl::memory dw = d.g.group == 1 ? b.define(node.outputs[0], pd.diff_weights_desc()) : b.temporary(pd.diff_weights_desc());
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_SRC, x}, {DNNL_ARG_DIFF_WEIGHTS, dw}};
  if (bias) args[DNNL_ARG_DIFF_BIAS] = b.define(node.outputs[1], pd.diff_bias_desc());
  b.add(dnnl::convolution_backward_weights(pd), std::move(args), pd.scratchpad_desc());
  if (d.g.group != 1) {  // grouped: into plain G x O/G x ... bytes, seen as ONNX's OIHW
    dnnl::memory plain = reordered(b, dw, plain_desc(onednn_weight_dims(d.w, d.g.group), DType::kFloat32));
    b.define_view(node.outputs[0], plain, plain_desc(d.w, DType::kFloat32));
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "ConvGradInput", .domain = kGradDomain, .supports = supports_conv_grad,
                            .define = define_conv_grad_input);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "ConvGradFilter", .domain = kGradDomain, .supports = supports_conv_grad,
                            .define = define_conv_grad_filter);

}  // namespace ew
