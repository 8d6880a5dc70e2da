// Per-layer output error of a quantized model against its float original:
// both run unoptimized on the reference kernels (so every layer's output keeps
// its name) and an observer accumulates signal and noise energy of each
// layer output present in both models.
#include <cmath>
#include <map>
#include <set>

#include "quant/sensitivity.h"
#include "runtime/executor.h"
#include "runtime/session.h"

namespace ew::quant {
namespace {

class OutputCapture final : public StepObserver {
 public:
  explicit OutputCapture(const std::set<std::string>& names) : names_(names) {}
  void after_step(const StepEvent& event) override {
    for (size_t k = 0; k < event.node.outputs.size() && k < event.outputs.size(); ++k) {
      const std::string& name = event.node.outputs[k];
      if (!names_.count(name) || !event.outputs[k].defined() || event.outputs[k].dtype() != DType::kFloat32) continue;
      auto copy = event.outputs[k].clone();
      if (copy.is_ok()) got[name] = std::move(copy).value();
    }
  }
  std::map<std::string, Tensor> got;

 private:
  const std::set<std::string>& names_;
};

struct Energy {
  double signal = 0, noise = 0;
  bool seen = false;
};

Result<std::unique_ptr<Session>> reference_session(const Model& m) {
  SessionOptions o;
  o.opt_level = 0;
  o.use_backends = false;
  return Session::create(m, o);
}

void accumulate(const Tensor& ref, const Tensor& got, Energy& e) {
  if (ref.numel() != got.numel()) return;
  const float* a = ref.data<float>();
  const float* b = got.data<float>();
  for (int64_t i = 0; i < ref.numel(); ++i) {
    e.signal += static_cast<double>(a[i]) * a[i];
    e.noise += static_cast<double>(a[i] - b[i]) * (a[i] - b[i]);
  }
  e.seen = true;
}

// Where to read each layer's output: in the float model under the name the
// quantized layer gives it (a removed Relu/Clip passes its name on), and in
// the quantized model after its QuantizeLinear -> DequantizeLinear, as the
// next layer sees it. Layers left float compare their plain output; layers a
// quantizer replaced by new nodes (dynamic, int4) keep their output's name.
std::map<std::string, std::pair<std::string, std::string>> probes(const Model& reference, const Model& quantized,
                                                                  const std::vector<QuantLayer>& layers) {
  std::map<std::string, const Node*> quant_node, reader;
  for (const Node& n : quantized.graph.nodes) {
    quant_node[n.name] = &n;
    if (!n.inputs.empty() && (n.op_type == "QuantizeLinear" || n.op_type == "DequantizeLinear")) reader[n.inputs[0]] = &n;
  }
  std::map<std::string, std::string> ref_output;
  for (const Node& n : reference.graph.nodes)
    if (!n.outputs.empty()) ref_output[n.name] = n.outputs[0];
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (const QuantLayer& l : layers) {
    auto it = quant_node.find(l.node);
    if (it == quant_node.end() || it->second->outputs.empty()) {
      out[l.node] = {ref_output[l.node], ref_output[l.node]};
      continue;
    }
    const std::string& o = it->second->outputs[0];
    std::string seen = o;
    auto q = reader.find(o);
    if (q != reader.end() && q->second->op_type == "QuantizeLinear") {
      auto dq = reader.find(q->second->outputs[0]);
      if (dq != reader.end() && dq->second->op_type == "DequantizeLinear") seen = dq->second->outputs[0];
    }
    out[l.node] = {o, seen};
  }
  return out;
}

}  // namespace

Result<std::vector<LayerError>> layer_errors(const Model& reference, const Model& quantized, const QuantizeReport& qr,
                                             const std::vector<QuantLayer>& layers, CalibrationSource& data,
                                             int samples) {
  const auto probe = probes(reference, quantized, layers);
  std::set<std::string> ref_names, quant_names;
  for (const auto& [layer, p] : probe) ref_names.insert(p.first), quant_names.insert(p.second);
  EW_ASSIGN_OR_RETURN(auto ref, reference_session(reference));
  EW_ASSIGN_OR_RETURN(auto quant, reference_session(quantized));
  std::map<std::string, Energy> energy;  // per layer
  EW_RETURN_IF_ERROR(data.rewind());
  std::map<std::string, Tensor> feeds;
  for (int s = 0; samples <= 0 || s < samples; ++s) {
    EW_ASSIGN_OR_RETURN(bool more, data.next(feeds));
    if (!more) break;
    OutputCapture a(ref_names), b(quant_names);
    EW_RETURN_IF_ERROR(ref->run(feeds, &a).status());
    EW_RETURN_IF_ERROR(quant->run(feeds, &b).status());
    for (const auto& [layer, p] : probe) {
      auto x = a.got.find(p.first);
      auto y = b.got.find(p.second);
      if (x != a.got.end() && y != b.got.end()) accumulate(x->second, y->second, energy[layer]);
    }
  }
  std::vector<LayerError> out;
  for (const QuantLayer& l : layers) {
    LayerError e{l.node, l.op_type, NAN, NAN};
    for (const LayerQuantReport& lr : qr.layers)
      if (lr.node == l.node) e.weight_sqnr_db = lr.weight_sqnr_db;
    const Energy& en = energy[l.node];
    if (en.seen) e.activation_sqnr_db = en.noise > 0 ? std::min(200.0, 10.0 * std::log10(en.signal / en.noise)) : 200.0;
    out.push_back(e);
  }
  return out;
}

}  // namespace ew::quant
