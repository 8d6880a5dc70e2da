#include "quant/bias_correction.h"

#include <set>

#include "passes/graph_rewrite.h"
#include "quant/qdq_plan.h"
#include "quant/quant_params.h"

namespace ew::quant {
namespace {

// Weight names of the Conv/Gemm layers the static quantizer would quantize.
std::set<std::string> quantized_weights(const Model& model, const QuantizeOptions& options) {
  Model copy = model;
  std::set<std::string> names;
  auto plan = plan_qdq(copy, options);
  if (!plan.is_ok()) return names;
  for (size_t i : plan->weighted) {
    const Node& n = copy.graph.nodes[i];
    const bool plain_gemm = n.op_type == "Gemm" && n.attr_int("transA", 0) == 0 &&
                            n.attr_float("alpha", 1.0f) == 1.0f &&
                            (!n.has_input(2) || n.attr_float("beta", 1.0f) == 1.0f);
    if (n.op_type == "Conv" || plain_gemm) names.insert(n.inputs[1]);
  }
  return names;
}

// (W_q - W) E[x] per output channel for Conv W [M, C/g, k...] and input means [C].
std::vector<double> conv_shift(const Tensor& w, const Tensor& wq, int64_t group, const std::vector<double>& mean) {
  const int64_t m = w.dim(0), cg = w.dim(1), per_out = w.numel() / m, inner = per_out / cg;
  std::vector<double> shift(m, 0.0);
  for (int64_t o = 0; o < m; ++o) {
    const int64_t first_in = (o / (m / group)) * cg;
    for (int64_t k = 0; k < per_out; ++k) {
      const int64_t i = o * per_out + k;
      const double d = double(wq.data<float>()[i]) - double(w.data<float>()[i]);
      shift[o] += d * mean[first_in + k / inner];
    }
  }
  return shift;
}

// The same for Gemm B [K, N] (transB 0) or [N, K] and input means [K].
std::vector<double> gemm_shift(const Tensor& w, const Tensor& wq, bool trans_b, const std::vector<double>& mean) {
  const int64_t n = trans_b ? w.dim(0) : w.dim(1), k = trans_b ? w.dim(1) : w.dim(0);
  std::vector<double> shift(n, 0.0);
  for (int64_t j = 0; j < n; ++j)
    for (int64_t c = 0; c < k; ++c) {
      const int64_t i = trans_b ? j * k + c : c * n + j;
      shift[j] += (double(wq.data<float>()[i]) - double(w.data<float>()[i])) * mean[c];
    }
  return shift;
}

Status correct_node(Model& model, size_t index, const std::vector<double>& mean, const QuantizeOptions& o) {
  Graph& g = model.graph;
  const Node& n = g.nodes[index];
  const Tensor w = *constant_of(g, n.inputs[1]);
  const int axis = weight_axis(n, w, o, model.opset(""));
  EW_ASSIGN_OR_RETURN(QuantizedTensor q, quantize_tensor(w, o.weight_type, axis, o.symmetric_weights, o.reduce_range));
  EW_ASSIGN_OR_RETURN(Tensor wq, dequantize_tensor(q, axis));
  const bool conv = n.op_type == "Conv";
  const int64_t in_channels =
      conv ? w.dim(1) * n.attr_int("group", 1) : (n.attr_int("transB", 0) ? w.dim(1) : w.dim(0));
  if (static_cast<int64_t>(mean.size()) != in_channels)
    return invalid_argument("bias correction: " + std::to_string(mean.size()) + " input channel means for " +
                            std::to_string(in_channels) + " input channels");
  const std::vector<double> shift =
      conv ? conv_shift(w, wq, n.attr_int("group", 1), mean) : gemm_shift(w, wq, n.attr_int("transB", 0) != 0, mean);
  const int64_t out = static_cast<int64_t>(shift.size());
  Tensor bias;
  if (n.has_input(2)) {
    const Tensor* b = constant_of(g, n.inputs[2]);
    if (!b || b->dtype() != DType::kFloat32 || b->numel() != out || b->rank() != 1) return Status::ok();  // leave as is
    EW_ASSIGN_OR_RETURN(bias, b->clone());
  } else {
    EW_ASSIGN_OR_RETURN(bias, Tensor::create(DType::kFloat32, {out}));
  }
  for (int64_t c = 0; c < out; ++c) bias.data<float>()[c] = static_cast<float>(bias.data<float>()[c] - shift[c]);
  const std::string name = n.has_input(2) ? n.inputs[2] : fresh_name(g, n.inputs[1] + "_bias");
  g.initializers[name] = bias;
  Node& node = g.nodes[index];
  node.inputs.resize(3);
  node.inputs[2] = name;
  if (!conv) node.attributes["beta"] = Attribute::make_float(1.0f);
  return Status::ok();
}

}  // namespace

std::map<std::string, int> bias_correction_inputs(const Model& model, const QuantizeOptions& options) {
  const std::set<std::string> weights = quantized_weights(model, options);
  std::map<std::string, int> inputs;
  for (const auto& n : model.graph.nodes)
    if (n.inputs.size() >= 2 && weights.count(n.inputs[1])) inputs[n.inputs[0]] = 1;
  return inputs;
}

Result<int> bias_correction(Model& model, const ChannelStatsMap& stats, const QuantizeOptions& options) {
  const std::set<std::string> weights = quantized_weights(model, options);
  ValueUses uses(model.graph);
  int corrected = 0;
  for (size_t i = 0; i < model.graph.nodes.size(); ++i) {
    const Node& n = model.graph.nodes[i];
    if (n.inputs.size() < 2 || !weights.count(n.inputs[1]) || !uses.single_use(n.inputs[1])) continue;
    if (n.has_input(2) && !uses.single_use(n.inputs[2])) continue;
    auto it = stats.find(n.inputs[0]);
    if (it == stats.end()) return not_found("bias correction: no channel means for tensor '" + n.inputs[0] + "'");
    EW_RETURN_IF_ERROR(correct_node(model, i, it->second.mean(), options).with_context("node " + n.label() + ": "));
    ++corrected;
  }
  return corrected;
}

}  // namespace ew::quant
