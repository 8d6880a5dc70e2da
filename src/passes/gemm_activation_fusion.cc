// Gemm + activation -> com.microsoft::FusedGemm (ONNX Runtime contrib op) with
// `activation` and `activation_alpha` / `activation_beta`. Only activations
// ORT's FusedGemm takes: Relu, Sigmoid, Tanh, LeakyRelu, HardSigmoid (not
// Clip). MatMul + activation is left alone: ORT has no such fused op.
#include "passes/activation_match.h"
#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

bool fuse(Model& model, Graph& g, const ValueUses& uses, Node& act) {
  ActivationMatch m;
  if (!match_activation(g, act, model.opset(""), &m) || m.name == "Clip") return false;
  const std::string& x = act.inputs[0];
  auto p = uses.producer.find(x);
  if (p == uses.producer.end() || !uses.single_use(x)) return false;
  Node& gemm = g.nodes[p->second];
  if (gemm.op_type != "Gemm" || !gemm.domain.empty() || gemm.outputs.size() != 1) return false;
  if (value_dtype(g, gemm.inputs[0]) != DType::kFloat32) return false;
  Node f = gemm;
  f.op_type = "FusedGemm";
  f.domain = "com.microsoft";
  f.attributes["activation"] = Attribute::make_string(m.name);
  if (m.params.size() >= 1) f.attributes["activation_alpha"] = Attribute::make_float(m.params[0]);
  if (m.params.size() >= 2) f.attributes["activation_beta"] = Attribute::make_float(m.params[1]);
  f.outputs = act.outputs;
  mark_removed(gemm);
  act = std::move(f);
  return true;
}

Result<int> run_gemm_activation_fusion(Model& model) {
  int n = rewrite_each(model.graph, [&](Graph& g, const ValueUses& uses, size_t i) {
    return fuse(model, g, uses, g.nodes[i]);
  });
  if (n > 0) ensure_opset(model, "com.microsoft", 1);
  return n;
}

}  // namespace

const Pass kGemmActivationFusion{.name = "gemm_activation_fusion", .min_level = 2, .run = run_gemm_activation_fusion};

}  // namespace ew
