// The dynamic quantization group ONNX Runtime's quantize_dynamic writes
// (and `edgewise quantize --mode dynamic`):
//   DynamicQuantizeLinear(x) -> (xq, xs, xz)
//   MatMulInteger(xq, W, xz[, wz]) -> Cast(float) -> Mul(., Mul(xs, ws)) [-> Add(bias)]
// with constant W, ws, wz and bias  =>  com.microsoft::DynamicQuantizeMatMul(x, W, ws, wz[, bias]),
// as ORT's DynamicQuantizeMatMulFusion. The DynamicQuantizeLinear stays while
// other nodes read it; dead code elimination removes it otherwise.
#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

// The node producing `v` if it has type `op` in the default domain.
Node* producer(Graph& g, const ValueUses& u, const std::string& v, const char* op) {
  auto it = u.producer.find(v);
  if (it == u.producer.end()) return nullptr;
  Node& n = g.nodes[it->second];
  return n.op_type == op && n.domain.empty() ? &n : nullptr;
}

// Mul(xs, ws) with xs = `dql`'s scale output and ws constant; returns ws.
std::string weight_scale(Graph& g, const ValueUses& u, const std::string& v, const Node& dql) {
  Node* mul = producer(g, u, v, "Mul");
  if (!mul || mul->inputs.size() != 2) return "";
  const std::string& ws = other_input(*mul, dql.outputs[1]);
  if ((mul->inputs[0] != dql.outputs[1] && mul->inputs[1] != dql.outputs[1]) || !constant_of(g, ws)) return "";
  return ws;
}

// Adds a following Add of a constant bias to `fused` when it is the Mul's only reader.
void take_bias(Graph& g, const ValueUses& u, Node& mul, Node& fused) {
  Node* add = u.only_consumer(g, mul.outputs[0]);
  if (!add || add->op_type != "Add" || !add->domain.empty() || add->inputs.size() != 2) return;
  const std::string& bias = other_input(*add, mul.outputs[0]);
  const Tensor* b = constant_of(g, bias);
  if (!b || b->dtype() != DType::kFloat32 || b->rank() != 1) return;
  const Tensor* w = constant_of(g, fused.inputs[1]);
  if (b->numel() != w->shape()[1]) return;
  if (fused.inputs.size() == 3) fused.inputs.push_back("");
  fused.inputs.push_back(bias);
  fused.outputs = add->outputs;
  mark_removed(*add);
}

bool fuse(Graph& g, const ValueUses& u, size_t i) {
  Node& mul = g.nodes[i];
  if (mul.op_type != "Mul" || !mul.domain.empty() || mul.inputs.size() != 2) return false;
  for (int side = 0; side < 2; ++side) {
    Node* cast = producer(g, u, mul.inputs[side], "Cast");
    if (!cast || cast->attr_int("to", 0) != static_cast<int64_t>(DType::kFloat32) || !u.single_use(cast->outputs[0]))
      continue;
    Node* mmi = producer(g, u, cast->inputs[0], "MatMulInteger");
    if (!mmi || mmi->inputs.size() < 3 || !u.single_use(mmi->outputs[0])) continue;
    Node* dql = producer(g, u, mmi->inputs[0], "DynamicQuantizeLinear");
    if (!dql || dql->outputs.size() != 3 || mmi->inputs[2] != dql->outputs[2]) continue;
    const Tensor* w = constant_of(g, mmi->inputs[1]);
    if (!w || w->rank() != 2 || (mmi->inputs.size() > 3 && !mmi->inputs[3].empty() && !constant_of(g, mmi->inputs[3])))
      continue;
    const std::string ws = weight_scale(g, u, mul.inputs[1 - side], *dql);
    if (ws.empty()) continue;
    Node fused;
    fused.name = mmi->name;
    fused.op_type = "DynamicQuantizeMatMul";
    fused.domain = "com.microsoft";
    fused.inputs = {dql->inputs[0], mmi->inputs[1], ws};
    if (mmi->inputs.size() > 3 && !mmi->inputs[3].empty()) fused.inputs.push_back(mmi->inputs[3]);
    fused.outputs = mul.outputs;
    take_bias(g, u, mul, fused);
    mark_removed(*cast);
    mark_removed(*mmi);
    mul = std::move(fused);
    return true;
  }
  return false;
}

Result<int> run_dynamic_quantize_matmul_fusion(Model& model) {
  const int n = rewrite_each(model.graph, fuse);
  if (n > 0) ensure_opset(model, "com.microsoft", 1);
  return n;
}

}  // namespace

const Pass kDynamicQuantizeMatMulFusion{.name = "dynamic_quantize_matmul_fusion", .min_level = 2,
                                        .run = run_dynamic_quantize_matmul_fusion};

}  // namespace ew
