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
  o.use_xnnpack = false;
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

}  // namespace

Result<std::vector<LayerError>> layer_errors(const Model& reference, const Model& quantized, const QuantizeReport& qr,
                                             const std::vector<QuantLayer>& layers, CalibrationSource& data,
                                             int samples) {
  std::set<std::string> names;
  std::map<std::string, std::string> output_of;  // layer -> its output value
  for (const Node& n : reference.graph.nodes)
    if (!n.outputs.empty()) output_of[n.name] = n.outputs[0];
  for (const QuantLayer& l : layers) names.insert(output_of[l.node]);
  EW_ASSIGN_OR_RETURN(auto ref, reference_session(reference));
  EW_ASSIGN_OR_RETURN(auto quant, reference_session(quantized));
  std::map<std::string, Energy> energy;
  EW_RETURN_IF_ERROR(data.rewind());
  std::map<std::string, Tensor> feeds;
  for (int s = 0; samples <= 0 || s < samples; ++s) {
    EW_ASSIGN_OR_RETURN(bool more, data.next(feeds));
    if (!more) break;
    OutputCapture a(names), b(names);
    EW_RETURN_IF_ERROR(ref->run(feeds, &a).status());
    EW_RETURN_IF_ERROR(quant->run(feeds, &b).status());
    for (const auto& [name, t] : a.got) {
      auto it = b.got.find(name);
      if (it != b.got.end()) accumulate(t, it->second, energy[name]);
    }
  }
  std::vector<LayerError> out;
  for (const QuantLayer& l : layers) {
    LayerError e{l.node, l.op_type, NAN, NAN};
    for (const LayerQuantReport& lr : qr.layers)
      if (lr.node == l.node) e.weight_sqnr_db = lr.weight_sqnr_db;
    const Energy& en = energy[output_of[l.node]];
    if (en.seen) e.activation_sqnr_db = en.noise > 0 ? std::min(200.0, 10.0 * std::log10(en.signal / en.noise)) : 200.0;
    out.push_back(e);
  }
  return out;
}

}  // namespace ew::quant
