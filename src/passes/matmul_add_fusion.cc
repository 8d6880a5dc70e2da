// MatMul(A, B) + Add(C) -> Gemm(A, B, C) when A is 2-D, B a 2-D constant and
// C a constant of shape [N] or [1, N] (float32). Higher-rank A stays MatMul.
#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

bool fuse(Graph& g, const ValueUses& uses, size_t i) {
  Node& add = g.nodes[i];
  if (add.op_type != "Add" || !add.domain.empty() || add.inputs.size() != 2) return false;
  for (int side = 0; side < 2; ++side) {
    const std::string x = add.inputs[side], c_name = add.inputs[1 - side];
    const Tensor* c = constant_of(g, c_name);
    if (!c || c->dtype() != DType::kFloat32 || !uses.single_use(x)) continue;
    auto p = uses.producer.find(x);
    if (p == uses.producer.end()) continue;
    Node& mm = g.nodes[p->second];
    if (mm.op_type != "MatMul" || !mm.domain.empty() || mm.inputs.size() != 2) continue;
    const ValueType* a = g.find_type(mm.inputs[0]);
    const Tensor* b = constant_of(g, mm.inputs[1]);
    if (!a || !a->has_shape || a->dims.size() != 2 || a->dtype != DType::kFloat32) continue;
    if (!b || b->rank() != 2 || b->dtype() != DType::kFloat32) continue;
    const int64_t n = b->dim(1);
    bool row = (c->rank() == 1 && c->dim(0) == n) || (c->rank() == 2 && c->dim(0) == 1 && c->dim(1) == n);
    if (!row) continue;
    Node gemm;
    gemm.name = mm.name.empty() ? add.name : mm.name;
    gemm.op_type = "Gemm";
    gemm.inputs = {mm.inputs[0], mm.inputs[1], c_name};
    gemm.outputs = add.outputs;
    mark_removed(mm);
    add = std::move(gemm);
    return true;
  }
  return false;
}

Result<int> run_matmul_add_fusion(Model& model) {
  if (model.opset("") < 11) return 0;  // Gemm's broadcasting C needs opset 7+; keep it simple and recent
  return rewrite_each(model.graph, fuse);
}

}  // namespace

const Pass kMatMulAddFusion{.name = "matmul_add_fusion", .min_level = 2, .run = run_matmul_add_fusion};

}  // namespace ew
