// calibrate(): runs the float model unoptimized (opt level 0, reference and
// fast kernels, no XNNPACK) so every node's outputs keep the model's own names
// and each executed step is one node, and feeds the observers of the
// requested tensors from the steps' outputs. Steps inside If/Loop/Scan
// bodies are reported too (runtime/executor.h), and each body run reports
// its inputs, so body tensors are observed on every iteration.
#include <set>

#include "quant/observer.h"
#include "runtime/session.h"

namespace ew::quant {

namespace {

Status observe_tensor(const std::string& name, const Tensor& t, Observer& obs) {
  if (t.dtype() != DType::kFloat32)
    return invalid_argument("cannot calibrate tensor '" + name + "': it is " + dtype_name(t.dtype()) +
                            " (only float32 tensors have quantization ranges)");
  obs.observe(std::span<const float>(t.data<float>(), static_cast<size_t>(t.numel())));
  return Status::ok();
}

class RangeRecorder : public StepObserver {
 public:
  explicit RangeRecorder(std::map<std::string, std::unique_ptr<Observer>>& observers) : observers_(observers) {}

  void after_step(const StepEvent& event) override {
    for (size_t k = 0; k < event.node.outputs.size() && k < event.outputs.size(); ++k)
      observe(event.node.outputs[k], event.outputs[k]);
  }
  // Body inputs (Loop-carried values, Scan slices) come from no step of the body.
  void body_started(const BodyFrame& frame, const std::vector<Tensor>& inputs) override {
    for (size_t k = 0; k < frame.body->inputs.size() && k < inputs.size(); ++k)
      observe(frame.body->inputs[k].name, inputs[k]);
  }
  const Status& status() const { return status_; }
  const std::set<std::string>& seen() const { return seen_; }

 private:
  void observe(const std::string& name, const Tensor& t) {
    if (!status_.is_ok()) return;
    auto it = observers_.find(name);
    if (it == observers_.end() || !t.defined()) return;
    status_ = observe_tensor(it->first, t, *it->second);
    seen_.insert(it->first);
  }

  std::map<std::string, std::unique_ptr<Observer>>& observers_;
  std::set<std::string> seen_;
  Status status_;
};

// Inputs and node outputs of the bodies nested in `g`, at any depth.
void collect_body_values(const Graph& g, std::set<std::string>& out) {
  for (const auto& n : g.nodes)
    for (const auto& [k, a] : n.attributes) {
      std::vector<const Graph*> bodies;
      if (a.g) bodies.push_back(a.g.get());
      for (const auto& sg : a.graphs) if (sg) bodies.push_back(sg.get());
      for (const Graph* b : bodies) {
        for (const auto& v : b->inputs) out.insert(v.name);
        for (const auto& bn : b->nodes) out.insert(bn.outputs.begin(), bn.outputs.end());
        collect_body_values(*b, out);
      }
    }
}

// Checks that every requested tensor is a graph input or a node output (of the
// main graph or a body); initializers are measured at once.
Status check_tensors(const Model& model, const std::vector<std::string>& tensors, const std::set<std::string>& body) {
  std::set<std::string> known = body;
  for (const auto& v : model.graph.inputs) known.insert(v.name);
  for (const auto& n : model.graph.nodes) known.insert(n.outputs.begin(), n.outputs.end());
  for (const auto& name : tensors)
    if (!known.count(name) && !model.graph.is_initializer(name))
      return not_found("calibrate: the model has no tensor named '" + name + "'");
  return Status::ok();
}

int64_t samples_in(const Model& model, const std::map<std::string, Tensor>& inputs) {
  if (model.graph.inputs.empty()) return 1;
  auto it = inputs.find(model.graph.inputs[0].name);
  return it != inputs.end() && it->second.rank() > 0 ? it->second.dim(0) : 1;
}

}  // namespace

Result<CalibrationMethod> calibration_method_from_name(const std::string& name) {
  for (auto m : {CalibrationMethod::kMinMax, CalibrationMethod::kPercentile, CalibrationMethod::kEntropy})
    if (name == calibration_method_name(m)) return m;
  return invalid_argument("unknown calibration method '" + name + "' (minmax | percentile | entropy)");
}

const char* calibration_method_name(CalibrationMethod m) {
  switch (m) {
    case CalibrationMethod::kMinMax: return "minmax";
    case CalibrationMethod::kPercentile: return "percentile";
    case CalibrationMethod::kEntropy: return "entropy";
  }
  return "?";
}

Result<RangeMap> calibrate(const Model& model, CalibrationSource& data, const std::vector<std::string>& tensors,
                           const CalibrationOptions& options) {
  if (options.percentile <= 0 || options.percentile > 100)
    return invalid_argument("calibration percentile must be in (0, 100], got " + std::to_string(options.percentile));
  if (options.bins < 8) return invalid_argument("calibration needs at least 8 histogram bins, got " + std::to_string(options.bins));
  if (options.quant_levels < 2) return invalid_argument("calibration needs at least 2 quantization levels");
  std::set<std::string> body_values;
  collect_body_values(model.graph, body_values);
  EW_RETURN_IF_ERROR(check_tensors(model, tensors, body_values));
  std::map<std::string, std::unique_ptr<Observer>> observers;
  for (const auto& name : tensors) observers[name] = make_observer(options);
  for (auto& [name, obs] : observers)
    if (const Tensor* init = model.graph.initializer(name)) EW_RETURN_IF_ERROR(observe_tensor(name, *init, *obs));

  SessionOptions so;
  so.opt_level = 0;
  so.use_backends = false;
  so.fast_kernels = true;
  so.threads = options.threads;
  EW_ASSIGN_OR_RETURN(auto session, Session::create(model, so));
  RangeRecorder recorder(observers);
  EW_RETURN_IF_ERROR(data.rewind());
  std::map<std::string, Tensor> inputs;
  int64_t done = 0;
  for (;;) {
    EW_ASSIGN_OR_RETURN(bool more, data.next(inputs));
    if (!more) break;
    for (auto& [name, obs] : observers) {
      auto it = inputs.find(name);
      if (it != inputs.end()) EW_RETURN_IF_ERROR(observe_tensor(name, it->second, *obs));
    }
    auto out = session->run(inputs, &recorder);
    if (!out.is_ok()) return out.status().with_context("calibration sample " + std::to_string(done) + ": ");
    EW_RETURN_IF_ERROR(recorder.status());
    done += samples_in(model, inputs);
    if (options.progress) options.progress(static_cast<int>(done), data.size());
  }
  if (done == 0) return invalid_argument("calibrate: the calibration data yielded no samples");
  RangeMap ranges;
  std::set<std::string> graph_inputs;  // observed from the samples, not from steps
  for (const auto& v : model.graph.inputs) graph_inputs.insert(v.name);
  std::set<std::string> main_values(graph_inputs);
  for (const auto& n : model.graph.nodes) main_values.insert(n.outputs.begin(), n.outputs.end());
  for (const auto& [name, obs] : observers) {
    if (!graph_inputs.count(name) && !model.graph.is_initializer(name) && !recorder.seen().count(name)) {
      if (!main_values.count(name)) continue;  // in a body that never ran (an If branch not taken)
      return invalid_argument("calibrate: tensor '" + name + "' was never computed (an output nothing reads?)");
    }
    ranges[name] = obs->range();
  }
  return ranges;
}

std::vector<std::string> float_tensors(const Model& model) {
  std::vector<std::string> tensors;
  for (const ValueInfo& in : model.graph.inputs)
    if (in.type.dtype == DType::kFloat32) tensors.push_back(in.name);
  for (const Node& n : model.graph.nodes)
    for (const std::string& o : n.outputs) {
      const ValueType* t = model.graph.find_type(o);
      if (!o.empty() && t && t->dtype == DType::kFloat32) tensors.push_back(o);
    }
  return tensors;
}

}  // namespace ew::quant
