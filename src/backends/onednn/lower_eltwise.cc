// Unary activations and math as oneDNN eltwise primitives, on the source's
// layout as it is (blocked or plain): Relu, LeakyRelu, Elu, Sigmoid, Tanh,
// HardSigmoid, HardSwish, Softplus, Mish, Gelu (erf and tanh forms), Clip
// (constant bounds), Exp, Log, Sqrt, Abs, Neg, Round, and Pow by a constant.
#include <limits>

#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"

namespace ew {

namespace {

using alg = dnnl::algorithm;

struct EltwiseStep {
  alg algorithm;
  float alpha = 0, beta = 0;
};

// One or two eltwise steps (HardSigmoid is linear then clip); false when unsupported.
bool eltwise_steps(const Node& node, const TypeLookup& types, std::vector<EltwiseStep>* steps) {
  const std::string& op = node.op_type;
  auto one = [&](alg a, float alpha = 0, float beta = 0) { return steps->push_back({a, alpha, beta}), true; };
  if (node.domain == "com.microsoft") return op == "Gelu" && one(alg::eltwise_gelu_erf);
  if (!node.domain.empty()) return false;
  if (op == "Relu") return one(alg::eltwise_relu);
  if (op == "LeakyRelu") return one(alg::eltwise_relu, node.attr_float("alpha", 0.01f));
  if (op == "Elu") return one(alg::eltwise_elu, node.attr_float("alpha", 1.0f));
  if (op == "Sigmoid") return one(alg::eltwise_logistic);
  if (op == "Tanh") return one(alg::eltwise_tanh);
  if (op == "HardSwish") return one(alg::eltwise_hardswish);
  if (op == "Softplus") return one(alg::eltwise_soft_relu);
  if (op == "Mish") return one(alg::eltwise_mish);
  if (op == "Exp") return one(alg::eltwise_exp);
  if (op == "Log") return one(alg::eltwise_log);
  if (op == "Sqrt") return one(alg::eltwise_sqrt);
  if (op == "Abs") return one(alg::eltwise_abs);
  if (op == "Neg") return one(alg::eltwise_linear, -1.0f, 0.0f);
  if (op == "Round") return one(alg::eltwise_round);
  if (op == "Gelu") {
    std::string approximate = node.attr_string("approximate", "none");
    if (approximate == "tanh") return one(alg::eltwise_gelu_tanh);
    return approximate == "none" && one(alg::eltwise_gelu_erf);
  }
  if (op == "HardSigmoid") {
    one(alg::eltwise_linear, node.attr_float("alpha", 0.2f), node.attr_float("beta", 0.5f));
    return one(alg::eltwise_clip_v2, 0.0f, 1.0f);
  }
  if (op == "Clip") {
    float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
    if (node.has_attr("min") || node.has_attr("max")) {
      lo = node.attr_float("min", lo);
      hi = node.attr_float("max", hi);
    }
    for (int i = 1; i <= 2; ++i) {
      if (!node.has_input(i)) continue;
      const Tensor* c = types.constant(node.inputs[i]);
      if (!c || c->numel() != 1 || c->dtype() != DType::kFloat32) return false;
      (i == 1 ? lo : hi) = c->data<float>()[0];
    }
    return lo <= hi && one(alg::eltwise_clip_v2, lo, hi);
  }
  if (op == "Pow") {
    const Tensor* e = node.num_inputs() == 2 ? types.constant(node.inputs[1]) : nullptr;
    return e && e->numel() == 1 && e->dtype() == DType::kFloat32 && one(alg::eltwise_pow, 1.0f, e->data<float>()[0]);
  }
  return false;
}

bool supports_eltwise(const Node& node, const TypeLookup& types) {
  std::vector<EltwiseStep> steps;
  if (node.outputs.size() != 1 || !eltwise_steps(node, types, &steps)) return false;
  if (node.op_type == "Pow") return all_static(node, types) && types.constant(node.inputs[1]) != nullptr;
  return all_static(node, types);
}

Status define_eltwise(OnednnBuilder& b, const Node& node) {
  std::vector<EltwiseStep> steps;
  if (!eltwise_steps(node, b.types(), &steps)) return unsupported(node.label());
  EW_ASSIGN_OR_RETURN(dnnl::memory in, b.value(node.inputs[0]));
  for (size_t i = 0; i < steps.size(); ++i) {
    auto desc = dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, steps[i].algorithm, in.get_desc(),
                                            steps[i].alpha, steps[i].beta);
    dnnl::eltwise_forward::primitive_desc pd(desc, b.attr(), onednn_engine());
    dnnl::memory out = i + 1 == steps.size() ? b.define(node.outputs[0], pd.dst_desc()) : b.temporary(pd.dst_desc());
    b.add(dnnl::eltwise_forward(pd), {{DNNL_ARG_SRC, in}, {DNNL_ARG_DST, out}}, pd.scratchpad_desc());
    in = out;
  }
  return Status::ok();
}

}  // namespace

#define EW_ONEDNN_ELTWISE(op, dom) \
  EW_REGISTER_ONEDNN_LOWERING(.op_type = op, .domain = dom, .supports = supports_eltwise, .define = define_eltwise)
EW_ONEDNN_ELTWISE("Relu", "");
EW_ONEDNN_ELTWISE("LeakyRelu", "");
EW_ONEDNN_ELTWISE("Elu", "");
EW_ONEDNN_ELTWISE("Sigmoid", "");
EW_ONEDNN_ELTWISE("Tanh", "");
EW_ONEDNN_ELTWISE("HardSigmoid", "");
EW_ONEDNN_ELTWISE("HardSwish", "");
EW_ONEDNN_ELTWISE("Softplus", "");
EW_ONEDNN_ELTWISE("Mish", "");
EW_ONEDNN_ELTWISE("Gelu", "");
EW_ONEDNN_ELTWISE("Gelu", "com.microsoft");
EW_ONEDNN_ELTWISE("Clip", "");
EW_ONEDNN_ELTWISE("Exp", "");
EW_ONEDNN_ELTWISE("Log", "");
EW_ONEDNN_ELTWISE("Sqrt", "");
EW_ONEDNN_ELTWISE("Abs", "");
EW_ONEDNN_ELTWISE("Neg", "");
EW_ONEDNN_ELTWISE("Round", "");
EW_ONEDNN_ELTWISE("Pow", "");

}  // namespace ew
