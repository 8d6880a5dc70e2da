// Conv and com.microsoft::FusedConv (Conv + optional sum input Z + activation).
#include <limits>

#include "backends/xnnpack/conv_node.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

Result<ConvShape> conv_params(const Node& node, const TypeLookup& types) {
  return conv_shape(node, static_shape(types, node.inputs[0]), static_shape(types, node.inputs[1]));
}

// The activation of a FusedConv: clamp bounds, or a separate XNNPACK node.
struct Activation {
  std::string kind;  // "", Relu, Clip, LeakyRelu, Sigmoid
  float lo = -kInf, hi = kInf, alpha = 0.01f;
};

bool read_activation(const Node& node, Activation* a) {
  if (node.op_type != "FusedConv") return true;
  a->kind = node.attr_string("activation", "");
  std::vector<float> params = node.attr_floats("activation_params");
  if (a->kind.empty() || a->kind == "Identity") return a->kind = "", true;
  if (a->kind == "Relu") return a->lo = 0, true;
  if (a->kind == "Clip") {
    if (params.size() != 2 || params[0] > params[1]) return false;
    a->lo = params[0];
    a->hi = params[1];
    return true;
  }
  if (a->kind == "LeakyRelu") {
    if (params.size() > 1) return false;
    if (!params.empty()) a->alpha = params[0];
    return true;
  }
  return a->kind == "Sigmoid";
}

bool supports_conv(const Node& node, const TypeLookup& types) {
  if (!all_static_f32(node, types) || node.num_inputs() < 2) return false;
  if (!types.constant(node.inputs[1])) return false;
  if (node.has_input(2) && !types.constant(node.inputs[2])) return false;
  Activation act;
  if (!read_activation(node, &act)) return false;
  if (node.has_input(3) && static_shape(types, node.inputs[3]) != static_shape(types, node.outputs[0])) return false;
  return conv_params(node, types).is_ok();
}

std::vector<float> filter_ohwi(const Tensor& w, const ConvShape& p) {
  const float* src = w.data<float>();
  int64_t ci = p.cin / p.group;
  std::vector<float> out(static_cast<size_t>(w.numel()));
  for (int64_t o = 0; o < p.cout; ++o)
    for (int64_t i = 0; i < ci; ++i)
      for (int64_t k = 0; k < p.kh * p.kw; ++k) {
        float v = src[(o * ci + i) * p.kh * p.kw + k];
        if (p.depthwise) out[k * p.cout + o] = v;  // [1, KH, KW, Cout]
        else out[(o * p.kh * p.kw + k) * ci + i] = v;
      }
  return out;
}

Status define_conv_core(XnnpackBuilder& b, const Node& node, const ConvShape& p, float lo, float hi, uint32_t out) {
  const Tensor& w = *b.constant(node.inputs[1]);
  std::vector<size_t> wdims = p.depthwise ? std::vector<size_t>{1, size_t(p.kh), size_t(p.kw), size_t(p.cout)}
                                          : std::vector<size_t>{size_t(p.cout), size_t(p.kh), size_t(p.kw),
                                                                size_t(p.cin / p.group)};
  EW_ASSIGN_OR_RETURN(uint32_t filter, b.static_tensor(wdims, filter_ohwi(w, p)));
  std::vector<float> bias(static_cast<size_t>(p.cout), 0.0f);
  if (node.has_input(2)) {
    const Tensor& bt = *b.constant(node.inputs[2]);
    if (bt.numel() != p.cout) return unsupported("bias size");
    bias.assign(bt.data<float>(), bt.data<float>() + p.cout);
  }
  EW_ASSIGN_OR_RETURN(uint32_t bias_id, b.static_tensor({size_t(p.cout)}, std::move(bias)));
  EW_ASSIGN_OR_RETURN(uint32_t in, b.value(node.inputs[0]));
  xnn_status st = define_xnn_convolution(b.subgraph(), p, lo, hi, in, filter, bias_id, out);
  if (st != xnn_status_success) return xnn_error(st, "convolution " + node.label());
  return Status::ok();
}

Status define_activation(XnnpackBuilder& b, const Activation& a, uint32_t in, uint32_t out) {
  xnn_status st = a.kind == "LeakyRelu" ? xnn_define_leaky_relu(b.subgraph(), a.alpha, in, out, 0)
                  : a.kind == "Sigmoid" ? xnn_define_sigmoid(b.subgraph(), in, out, 0)
                                        : xnn_define_clamp(b.subgraph(), a.lo, a.hi, in, out, 0);
  if (st != xnn_status_success) return xnn_error(st, "activation " + a.kind);
  return Status::ok();
}

Status define_conv(XnnpackBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(ConvShape p, conv_params(node, b.types()));
  Activation act;
  if (!read_activation(node, &act)) return unsupported("activation");
  EW_ASSIGN_OR_RETURN(uint32_t out, b.output(node.outputs[0]));
  bool clamp_only = act.kind.empty() || act.kind == "Relu" || act.kind == "Clip";
  if (!node.has_input(3) && clamp_only) return define_conv_core(b, node, p, act.lo, act.hi, out);
  std::vector<size_t> dims = XnnpackBuilder::xnn_dims(static_shape(b.types(), node.outputs[0]));
  EW_ASSIGN_OR_RETURN(uint32_t conv, b.internal(dims));
  EW_RETURN_IF_ERROR(define_conv_core(b, node, p, -kInf, kInf, conv));
  uint32_t sum = conv;
  if (node.has_input(3)) {
    EW_ASSIGN_OR_RETURN(uint32_t z, b.value(node.inputs[3]));
    if (clamp_only) {
      xnn_status st = xnn_define_add2(b.subgraph(), act.lo, act.hi, conv, z, out, 0);
      return st == xnn_status_success ? Status::ok() : xnn_error(st, "FusedConv sum " + node.label());
    }
    EW_ASSIGN_OR_RETURN(sum, b.internal(dims));
    xnn_status st = xnn_define_add2(b.subgraph(), -kInf, kInf, conv, z, sum, 0);
    if (st != xnn_status_success) return xnn_error(st, "FusedConv sum " + node.label());
  }
  return define_activation(b, act, sum, out);
}

}  // namespace

EW_REGISTER_XNNPACK_LOWERING(.op_type = "Conv", .domain = "", .supports = supports_conv, .define = define_conv);
EW_REGISTER_XNNPACK_LOWERING(.op_type = "FusedConv", .domain = "com.microsoft", .supports = supports_conv,
                             .define = define_conv);

}  // namespace ew
