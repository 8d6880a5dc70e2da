// Conv / Gemm + Add(constant bias) -> the bias input of the Conv / Gemm.
//   Conv (M output channels) + C with C.numel == M laid out along the channel
//   axis ([M,1,1], [1,M,1,1], ...) -> Conv B (+= C when B exists).
//   Gemm without C (output [., N]) + C of shape [N] or [1,N] -> Gemm C, beta 1.
// float32 only; the producer's output must be read only by the Add.
#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

// C is M values along axis 1 of a rank-`rank` output (right-aligned broadcast).
bool channel_vector(const Tensor& c, int64_t m, size_t rank) {
  if (c.numel() != m || c.rank() > static_cast<int64_t>(rank)) return false;
  const int64_t channel_pos = c.rank() - static_cast<int64_t>(rank) + 1;  // index of axis 1 within c's dims
  if (channel_pos < 0) return false;
  for (int64_t k = 0; k < c.rank(); ++k)
    if (k != channel_pos && c.dim(k) != 1) return false;
  return true;
}

bool fuse_conv(Graph& g, Node& conv, Node& add, const Tensor& c) {
  const Tensor* w = constant_of(g, conv.inputs[1]);
  const ValueType* out = g.find_type(conv.outputs[0]);
  if (!w || w->rank() < 3 || !out || !out->has_shape) return false;
  const int64_t m = w->dim(0);
  if (!channel_vector(c, m, out->dims.size())) return false;
  const Tensor* b = conv.has_input(2) ? constant_of(g, conv.inputs[2]) : nullptr;
  if (conv.has_input(2) && (!b || b->dtype() != DType::kFloat32 || b->numel() != m)) return false;
  auto nb = Tensor::create(DType::kFloat32, {m});
  if (!nb.is_ok()) return false;
  for (int64_t k = 0; k < m; ++k) nb->data<float>()[k] = c.data<float>()[k] + (b ? b->data<float>()[k] : 0.f);
  Node fused = conv;
  fused.inputs.resize(3);
  fused.inputs[2] = add_initializer(g, add.inputs[0] == conv.outputs[0] ? add.inputs[1] : add.inputs[0], std::move(nb).value());
  fused.outputs = add.outputs;
  mark_removed(conv);
  add = std::move(fused);
  return true;
}

bool fuse_gemm(Graph& g, Node& gemm, Node& add, const std::string& c_name, const Tensor& c) {
  if (gemm.has_input(2)) return false;
  const ValueType* out = g.find_type(gemm.outputs[0]);
  if (!out || !out->has_shape || out->dims.size() != 2 || !out->dims[1].known()) return false;
  const int64_t n = out->dims[1].value;
  bool row = (c.rank() == 1 && c.dim(0) == n) || (c.rank() == 2 && c.dim(0) == 1 && c.dim(1) == n);
  if (!row) return false;
  Node fused = gemm;
  fused.inputs.resize(3);
  fused.inputs[2] = c_name;
  fused.attributes["beta"] = Attribute::make_float(1.0f);
  fused.outputs = add.outputs;
  mark_removed(gemm);
  add = std::move(fused);
  return true;
}

bool fuse(Graph& g, const ValueUses& uses, size_t i) {
  Node& add = g.nodes[i];
  if (add.op_type != "Add" || !add.domain.empty() || add.inputs.size() != 2) return false;
  for (int side = 0; side < 2; ++side) {
    const std::string& x = add.inputs[side];
    const std::string& c_name = add.inputs[1 - side];
    const Tensor* c = constant_of(g, c_name);
    if (!c || c->dtype() != DType::kFloat32 || !uses.single_use(x)) continue;
    auto p = uses.producer.find(x);
    if (p == uses.producer.end()) continue;
    Node& prod = g.nodes[p->second];
    if (!prod.domain.empty() || prod.outputs.size() != 1) continue;
    if (value_dtype(g, x) != DType::kFloat32) continue;
    if (prod.op_type == "Conv" && constant_of(g, prod.inputs[1])) return fuse_conv(g, prod, add, *c);
    if (prod.op_type == "Gemm") return fuse_gemm(g, prod, add, c_name, *c);
  }
  return false;
}

Result<int> run_bias_add_fusion(Model& model) { return rewrite_each(model.graph, fuse); }

}  // namespace

const Pass kBiasAddFusion{.name = "bias_add_fusion", .min_level = 2, .run = run_bias_add_fusion};

}  // namespace ew
