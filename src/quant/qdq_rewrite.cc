#include "quant/qdq_rewrite.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "passes/graph_rewrite.h"
#include "quant/quant_params.h"

namespace ew::quant {
namespace {

struct ActivationParams {
  QuantParams p;
  std::string scale, zero_point;  // initializer names
};

class QdqRewriter {
 public:
  QdqRewriter(Model& model, const QuantizeOptions& o) : model_(model), g_(model.graph), o_(o) {}

  Status quantize_activations(const QdqPlan& plan, const RangeMap& ranges);
  Status quantize_weights(size_t index, LayerQuantReport* layer);

 private:
  Result<const ActivationParams*> params_of(const std::string& source, const RangeMap& ranges);
  std::string add_dequantize(const std::string& base, const std::string& x, const std::string& scale,
                             const std::string& zp, int axis);
  Status quantize_bias(size_t index, const ActivationParams& in, const QuantizedTensor& w, int axis);

  Model& model_;
  Graph& g_;
  const QuantizeOptions& o_;
  std::map<std::string, ActivationParams> params_;                     // by source tensor
  std::map<std::string, const ActivationParams*> dequantized_params_;  // DequantizeLinear output -> its params
};

Result<const ActivationParams*> QdqRewriter::params_of(const std::string& source, const RangeMap& ranges) {
  auto it = params_.find(source);
  if (it != params_.end()) return &it->second;
  auto r = ranges.find(source);
  if (r == ranges.end()) return not_found("static quantization: no calibrated range for tensor '" + source + "'");
  if (!std::isfinite(r->second.min) || !std::isfinite(r->second.max) || r->second.min > r->second.max)
    return invalid_argument("static quantization: range of tensor '" + source + "' is not finite or min > max");
  ActivationParams ap;
  ap.p = params_from_range(r->second.min, r->second.max, quant_range(o_.activation_type), o_.symmetric_activations);
  EW_ASSIGN_OR_RETURN(Tensor scale, Tensor::scalar<float>(ap.p.scale));
  EW_ASSIGN_OR_RETURN(Tensor zp, Tensor::create(o_.activation_type, {}));
  if (o_.activation_type == DType::kInt8)
    zp.data<int8_t>()[0] = static_cast<int8_t>(ap.p.zero_point);
  else
    zp.data<uint8_t>()[0] = static_cast<uint8_t>(ap.p.zero_point);
  ap.scale = add_initializer(g_, source + "_s", std::move(scale));
  ap.zero_point = add_initializer(g_, source + "_zp", std::move(zp));
  return &params_.emplace(source, ap).first->second;
}

std::string QdqRewriter::add_dequantize(const std::string& base, const std::string& x, const std::string& scale,
                                        const std::string& zp, int axis) {
  Node dq;
  dq.op_type = "DequantizeLinear";
  dq.name = fresh_name(g_, base + "_DQ");
  dq.inputs = {x, scale};
  if (!zp.empty()) dq.inputs.push_back(zp);
  dq.outputs = {fresh_name(g_, base + "_dq")};
  if (axis >= 0) dq.attributes["axis"] = Attribute::make_int(axis);
  g_.nodes.push_back(dq);
  return dq.outputs[0];
}

Status QdqRewriter::quantize_activations(const QdqPlan& plan, const RangeMap& ranges) {
  const size_t original = g_.nodes.size();
  std::map<std::string, std::string> dequantized;
  for (const auto& [tensor, source] : plan.activations) {
    EW_ASSIGN_OR_RETURN(const ActivationParams* ap, params_of(source, ranges));
    Node q;
    q.op_type = "QuantizeLinear";
    q.name = fresh_name(g_, tensor + "_Q");
    q.inputs = {tensor, ap->scale, ap->zero_point};
    q.outputs = {fresh_name(g_, tensor + "_q")};
    g_.nodes.push_back(q);
    dequantized[tensor] = add_dequantize(tensor, q.outputs[0], ap->scale, ap->zero_point, -1);
    dequantized_params_[dequantized[tensor]] = ap;
  }
  for (size_t i = 0; i < original; ++i)
    for (auto& in : g_.nodes[i].inputs) {
      auto it = dequantized.find(in);
      if (it != dequantized.end()) in = it->second;
    }
  return Status::ok();
}

Result<Tensor> quantize_bias_values(const Tensor& b, const Tensor& bias_scale) {
  EW_ASSIGN_OR_RETURN(Tensor q, Tensor::create(DType::kInt32, b.shape()));
  const double lim = std::numeric_limits<int32_t>::max();
  for (int64_t i = 0; i < b.numel(); ++i) {
    const double s = bias_scale.get_double(bias_scale.numel() == 1 ? 0 : i);
    q.data<int32_t>()[i] = static_cast<int32_t>(std::clamp(std::nearbyint(b.get_double(i) / s), -lim, lim));
  }
  return q;
}

// Conv bias [M] or Gemm C [N] (alpha = beta = 1), one value per output channel.
bool quantizable_bias(const Graph& g, const Node& n, int64_t channels) {
  if (!n.has_input(2)) return false;
  const Tensor* b = constant_of(g, n.inputs[2]);
  if (!b || b->dtype() != DType::kFloat32 || b->rank() != 1 || b->numel() != channels) return false;
  return n.op_type == "Conv" || (n.attr_float("alpha", 1.0f) == 1.0f && n.attr_float("beta", 1.0f) == 1.0f);
}

Status QdqRewriter::quantize_bias(size_t index, const ActivationParams& in, const QuantizedTensor& w, int axis) {
  const Node& n = g_.nodes[index];
  const Tensor& b = *constant_of(g_, n.inputs[2]);
  const bool per_channel = w.scale.numel() > 1;
  EW_ASSIGN_OR_RETURN(Tensor scale, Tensor::create(DType::kFloat32, per_channel ? Shape{b.numel()} : Shape{}));
  for (int64_t c = 0; c < scale.numel(); ++c) scale.data<float>()[c] = in.p.scale * w.scale.data<float>()[c];
  EW_ASSIGN_OR_RETURN(Tensor q, quantize_bias_values(b, scale));
  const std::string base = n.inputs[2];
  const std::string qn = add_initializer(g_, base + "_q", std::move(q));
  const std::string sn = add_initializer(g_, base + "_s", std::move(scale));
  // No zero point: int32 defaults to 0 and per-channel zeros would cost 4 bytes a channel.
  const std::string out = add_dequantize(base, qn, sn, "", per_channel && axis >= 0 ? 0 : -1);
  g_.nodes[index].inputs[2] = out;
  return Status::ok();
}

void fill_weight_stats(const Tensor& w, const QuantizedTensor& q, const Tensor& dq, LayerQuantReport* layer) {
  const float* s = q.scale.data<float>();
  layer->weight_scale_min = *std::min_element(s, s + q.scale.numel());
  layer->weight_scale_max = *std::max_element(s, s + q.scale.numel());
  layer->weight_sqnr_db = sqnr_db(w, dq);
}

Status QdqRewriter::quantize_weights(size_t index, LayerQuantReport* layer) {
  const std::string w_name = g_.nodes[index].inputs[1];
  const Tensor w = *constant_of(g_, w_name);
  const int axis = weight_axis(g_.nodes[index], w, o_, model_.opset(""));
  EW_ASSIGN_OR_RETURN(QuantizedTensor q, quantize_tensor(w, o_.weight_type, axis, o_.symmetric_weights, o_.reduce_range));
  EW_ASSIGN_OR_RETURN(Tensor dq, dequantize_tensor(q, axis));
  fill_weight_stats(w, q, dq, layer);
  const std::string qn = add_initializer(g_, w_name + "_q", q.values);
  const std::string sn = add_initializer(g_, w_name + "_s", q.scale);
  const std::string zn = add_initializer(g_, w_name + "_zp", q.zero_point);
  g_.nodes[index].inputs[1] = add_dequantize(w_name, qn, sn, zn, axis);
  auto it = dequantized_params_.find(g_.nodes[index].inputs[0]);
  if (it == dequantized_params_.end()) return Status::ok();  // float input: bias stays float
  const ActivationParams* in = it->second;
  layer->input_scale = in->p.scale;
  layer->input_zero_point = in->p.zero_point;
  const int64_t channels = axis >= 0 ? w.dim(axis) : (g_.nodes[index].op_type == "Conv" ? w.dim(0) : -1);
  if (!quantizable_bias(g_, g_.nodes[index], channels)) return Status::ok();
  return quantize_bias(index, *in, q, axis);
}

// Drops initializers no node reads any more (the float weights and biases).
void drop_unread_initializers(Graph& g) {
  std::set<std::string> read;
  for (const auto& node : g.nodes) {
    read.insert(node.inputs.begin(), node.inputs.end());
    for (const auto& in : node_implicit_inputs(node)) read.insert(in);
  }
  for (const auto& o : g.outputs) read.insert(o.name);
  for (auto it = g.initializers.begin(); it != g.initializers.end();)
    it = read.count(it->first) ? std::next(it) : g.initializers.erase(it);
}

Status refresh(Model& model) {
  drop_unread_initializers(model.graph);
  EW_RETURN_IF_ERROR(model.graph.sort_and_validate());
  std::set<std::string> produced;
  for (const auto& node : model.graph.nodes) produced.insert(node.outputs.begin(), node.outputs.end());
  auto& types = model.graph.value_types;
  for (auto it = types.begin(); it != types.end();) it = produced.count(it->first) ? std::next(it) : types.erase(it);
  return Status::ok();
}

}  // namespace

Status apply_qdq(Model& model, QdqPlan& plan, const RangeMap& ranges, const QuantizeOptions& options) {
  if (options.activation_type != DType::kInt8 && options.activation_type != DType::kUInt8)
    return invalid_argument("static quantization: activation type must be int8 or uint8");
  if (options.weight_type != DType::kInt8 && options.weight_type != DType::kUInt8)
    return invalid_argument("static quantization: weight type must be int8 or uint8");
  QdqRewriter rw(model, options);
  EW_RETURN_IF_ERROR(rw.quantize_activations(plan, ranges));
  for (size_t index : plan.weighted) {
    auto at = std::find(plan.layer_nodes.begin(), plan.layer_nodes.end(), index);
    LayerQuantReport scratch;
    LayerQuantReport* layer = at == plan.layer_nodes.end() ? &scratch : &plan.layers[at - plan.layer_nodes.begin()];
    EW_RETURN_IF_ERROR(
        rw.quantize_weights(index, layer).with_context("node " + model.graph.nodes[index].label() + ": "));
  }
  return refresh(model);
}

}  // namespace ew::quant
