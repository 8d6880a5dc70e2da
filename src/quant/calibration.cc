// calibrate(): runs the float model unoptimized (opt level 0, reference and
// fast kernels, no XNNPACK) so every node's outputs keep the model's own names
// and each executed step is one node, and feeds the observers of the
// requested tensors from the steps' outputs.
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
    if (!status_.is_ok()) return;
    for (size_t k = 0; k < event.node.outputs.size() && k < event.outputs.size(); ++k) {
      auto it = observers_.find(event.node.outputs[k]);
      if (it == observers_.end() || !event.outputs[k].defined()) continue;
      status_ = observe_tensor(it->first, event.outputs[k], *it->second);
      seen_.insert(it->first);
      if (!status_.is_ok()) return;
    }
  }
  const Status& status() const { return status_; }
  const std::set<std::string>& seen() const { return seen_; }

 private:
  std::map<std::string, std::unique_ptr<Observer>>& observers_;
  std::set<std::string> seen_;
  Status status_;
};

// Checks that every requested tensor is a graph input or a node output; initializers are measured at once.
Status check_tensors(const Model& model, const std::vector<std::string>& tensors) {
  std::set<std::string> known;
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
  EW_RETURN_IF_ERROR(check_tensors(model, tensors));
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
  for (const auto& [name, obs] : observers) {
    if (!graph_inputs.count(name) && !model.graph.is_initializer(name) && !recorder.seen().count(name))
      return invalid_argument("calibrate: tensor '" + name + "' was never computed (an output nothing reads?)");
    ranges[name] = obs->range();
  }
  return ranges;
}

}  // namespace ew::quant
