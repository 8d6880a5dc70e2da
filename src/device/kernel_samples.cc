#include "device/kernel_samples.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "device/host_profile.h"
#include "runtime/random_inputs.h"
#include "runtime/session.h"
#include "runtime/tensor_folder.h"

namespace ew {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

// Adds up each top-level step's time in the current run.
class StepTimer : public StepObserver {
 public:
  explicit StepTimer(const std::vector<PlanStepInfo>& steps) {
    for (size_t i = 0; i < steps.size(); ++i) index_[steps[i].node] = i;
    run_ms_.assign(steps.size(), 0.0);
  }
  void after_step(const StepEvent& e) override {
    auto it = index_.find(&e.node);
    if (it != index_.end()) run_ms_[it->second] += e.seconds * 1e3;
  }
  std::vector<double> take() {
    std::vector<double> out = run_ms_;
    std::fill(run_ms_.begin(), run_ms_.end(), 0.0);
    return out;
  }

 private:
  std::map<const Node*, size_t> index_;
  std::vector<double> run_ms_;
};

struct LoadedModel {
  std::string name, path;
  std::unique_ptr<Session> session;
  std::vector<Tensor> inputs, outputs;
  std::vector<PlanStepInfo> infos;
  std::vector<KernelStep> steps;
  std::vector<double> best_step_ms;  // minimum over passes of the per-pass median
  double best_ms = 0;
};

Result<LoadedModel> load_model(ModelSource& source, const CollectOptions& o) {
  LoadedModel m;
  m.name = source.name;
  m.path = source.path;
  SessionOptions so;
  so.threads = o.threads;
  if (source.model) {
    EW_ASSIGN_OR_RETURN(m.session, Session::create(std::move(*source.model), so));
  } else {
    EW_ASSIGN_OR_RETURN(m.session, Session::load(source.path, so));
  }
  fs::path data = fs::path(source.path).parent_path() / "test_data_set_0";
  std::map<std::string, Tensor> named;
  if (!source.path.empty() && fs::is_directory(data)) {
    EW_ASSIGN_OR_RETURN(named, read_tensor_folder(data.string(), m.session->inputs(), "input"));
  } else {
    EW_ASSIGN_OR_RETURN(named, random_inputs(*m.session, o.dims, 1, 42));
  }
  for (const auto& v : m.session->inputs()) m.inputs.push_back(named.at(v.name));
  EW_ASSIGN_OR_RETURN(const ExecutionPlan* plan, m.session->plan(m.inputs));
  m.infos = plan->step_infos();
  m.steps = kernel_steps(*plan);
  return m;
}

Status measure_pass(LoadedModel& m, const CollectOptions& o, bool first) {
  for (int i = 0; i < o.warmup; ++i) EW_RETURN_IF_ERROR(m.session->run(m.inputs, m.outputs));
  StepTimer timer(m.infos);
  std::vector<std::vector<double>> per_step(m.steps.size());
  std::vector<double> totals;
  for (int r = 0; r < o.runs; ++r) {
    auto start = Clock::now();
    EW_RETURN_IF_ERROR(m.session->run(m.inputs, m.outputs, &timer));
    totals.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    std::vector<double> times = timer.take();
    for (size_t i = 0; i < times.size(); ++i) per_step[i].push_back(times[i]);
  }
  double total = median(totals);
  m.best_ms = first ? total : std::min(m.best_ms, total);
  if (first) m.best_step_ms.assign(m.steps.size(), 0.0);
  for (size_t i = 0; i < per_step.size(); ++i) {
    double t = median(per_step[i]);
    m.best_step_ms[i] = first ? t : std::min(m.best_step_ms[i], t);
  }
  return Status::ok();
}

}  // namespace

Result<std::vector<KernelStep>> model_kernel_steps(const std::string& model_path,
                                                   const std::map<std::string, int64_t>& dims) {
  EW_ASSIGN_OR_RETURN(auto session, Session::load(model_path, SessionOptions{}));
  EW_ASSIGN_OR_RETURN(auto named, random_inputs(*session, dims, 1, 42));
  std::vector<Tensor> inputs;
  for (const auto& v : session->inputs()) inputs.push_back(named.at(v.name));
  EW_ASSIGN_OR_RETURN(const ExecutionPlan* plan, session->plan(inputs));
  return kernel_steps(*plan);
}

std::string model_display_name(const std::string& path) {
  fs::path p(path);
  if (p.filename() == "model.onnx" && p.has_parent_path() && !p.parent_path().filename().empty())
    return p.parent_path().filename().string();
  return p.stem().string();
}

Result<std::vector<ModelSamples>> collect_samples(const std::vector<std::string>& model_paths,
                                                  const CollectOptions& o, const CollectProgress& progress) {
  std::vector<ModelSource> sources;
  for (const std::string& path : model_paths) sources.push_back({model_display_name(path), path, std::nullopt});
  return collect_samples(std::move(sources), o, progress);
}

Result<std::vector<ModelSamples>> collect_samples(std::vector<ModelSource> sources, const CollectOptions& o,
                                                  const CollectProgress& progress) {
  if (o.rounds < 1 || o.runs < 1 || o.warmup < 0)
    return invalid_argument("rounds and runs must be at least 1 and warmup not negative");
  if (sources.empty()) return invalid_argument("no models to measure");
  std::vector<LoadedModel> models;
  for (ModelSource& source : sources) {
    auto m = load_model(source, o);
    if (!m.is_ok()) return m.status().with_context((source.path.empty() ? source.name : source.path) + ": ");
    models.push_back(std::move(m).value());
  }
  for (int round = 0; round < o.rounds; ++round) {
    for (size_t k = 0; k < models.size(); ++k) {
      Status s = measure_pass(models[k], o, round == 0);
      if (!s.is_ok()) return s.with_context((models[k].path.empty() ? models[k].name : models[k].path) + ": ");
      if (progress) progress(static_cast<int>(k + 1), static_cast<int>(models.size()), round + 1, o.rounds);
    }
  }
  std::vector<ModelSamples> out;
  for (LoadedModel& m : models) {
    ModelSamples s{m.name, m.path, m.best_ms, {}};
    for (size_t i = 0; i < m.steps.size(); ++i) s.steps.push_back({std::move(m.steps[i]), m.best_step_ms[i]});
    out.push_back(std::move(s));
  }
  return out;
}

nlohmann::json samples_to_json(const std::vector<ModelSamples>& samples, const std::string& host_fingerprint) {
  nlohmann::json models = nlohmann::json::array();
  for (const ModelSamples& m : samples) {
    nlohmann::json steps = nlohmann::json::array();
    for (const StepSample& s : m.steps) {
      nlohmann::json j = to_json(s.step);
      j["measured_ms"] = s.measured_ms;
      steps.push_back(std::move(j));
    }
    models.push_back({{"name", m.name}, {"path", m.path}, {"measured_ms", m.measured_ms}, {"steps", std::move(steps)}});
  }
  return {{"format", "edgewise-kernel-samples"}, {"version", 1}, {"host_fingerprint", host_fingerprint},
          {"models", std::move(models)}};
}

static Result<std::vector<ModelSamples>> samples_from_json_fields(const nlohmann::json& j, const std::string& origin) {
  if (!j.is_object() || j.value("format", "") != "edgewise-kernel-samples")
    return invalid_argument(origin + ": not an edgewise kernel-samples file (\"format\" must be \"edgewise-kernel-samples\")");
  auto models = j.find("models");
  if (models == j.end() || !models->is_array()) return invalid_argument(origin + ": 'models' must be an array");
  std::vector<ModelSamples> out;
  for (size_t k = 0; k < models->size(); ++k) {
    const auto& m = (*models)[k];
    std::string where = origin + ": models[" + std::to_string(k) + "]";
    if (!m.is_object() || !m.contains("name") || !m["name"].is_string() || !m.contains("measured_ms") ||
        !m["measured_ms"].is_number() || !m.contains("steps") || !m["steps"].is_array())
      return invalid_argument(where + " needs a string 'name', a number 'measured_ms' and an array 'steps'");
    ModelSamples s{m["name"].get<std::string>(), m.value("path", ""), m["measured_ms"].get<double>(), {}};
    for (size_t i = 0; i < m["steps"].size(); ++i) {
      const auto& js = m["steps"][i];
      auto step = kernel_step_from_json(js);
      if (!step.is_ok()) return step.status().with_context(where + ".steps[" + std::to_string(i) + "]: ");
      if (!js.contains("measured_ms") || !js["measured_ms"].is_number())
        return invalid_argument(where + ".steps[" + std::to_string(i) + "]: 'measured_ms' must be a number");
      s.steps.push_back({std::move(step).value(), js["measured_ms"].get<double>()});
    }
    out.push_back(std::move(s));
  }
  return out;
}

Status save_samples(const std::vector<ModelSamples>& samples, const std::string& path) {
  std::ofstream out(path);
  if (!out) return io_error("cannot write " + path);
  out << samples_to_json(samples, host_fingerprint()).dump(1) << "\n";
  if (!out) return io_error("cannot write " + path);
  return Status::ok();
}

Result<std::vector<ModelSamples>> load_samples(const std::string& path) {
  std::ifstream in(path);
  if (!in) return not_found("cannot read " + path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return invalid_argument(path + ": not valid JSON");
  return samples_from_json(j, path);
}

// The typed readers above check each field before reading it; this catches
// what they miss (a field of an unexpected JSON type deep inside), so a
// malformed file is an error, never an exception escaping the library.
Result<std::vector<ModelSamples>> samples_from_json(const nlohmann::json& j, const std::string& origin) {
  try {
    return samples_from_json_fields(j, origin);
  } catch (const nlohmann::json::exception& e) {
    return invalid_argument(origin + ": malformed kernel samples: " + e.what());
  }
}

}  // namespace ew
