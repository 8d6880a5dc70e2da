#include "device/latency_eval.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace ew {
namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

struct Tally {
  EvaluationReport report;
  std::vector<double> model_errors, op_errors;
  std::map<std::string, std::vector<double>> type_errors;
  double op_time = 0, op_time_within = 0;
};

void add_model(Tally& t, const LatencyModel& model, const ModelSamples& ms) {
  const double tol = t.report.tolerance;
  ModelEvaluation e;
  e.name = ms.name;
  e.measured_ms = ms.measured_ms;
  e.trained_on = model.trained_on;
  double sum = model.run_overhead_ms;
  for (const StepSample& s : ms.steps) {
    bool fallback = false;
    double ms_pred = predict_step_seconds(model, s.step, &fallback) * 1e3;
    sum += ms_pred;
    if (s.step.backend == "view" || s.measured_ms <= 0) continue;
    double err = ms_pred / s.measured_ms - 1;
    bool within = std::fabs(err) <= tol;
    e.ops++;
    e.ops_within += within;
    e.fallback_ops += fallback;
    t.op_errors.push_back(std::fabs(err));
    t.type_errors[s.step.kernel_type()].push_back(std::fabs(err));
    KernelTypeEvaluation& k = t.report.kernel_types[s.step.kernel_type()];
    k.ops++;
    k.ops_within += within;
    t.op_time += s.measured_ms;
    if (within) t.op_time_within += s.measured_ms;
  }
  e.predicted_ms = sum;
  e.error = ms.measured_ms > 0 ? sum / ms.measured_ms - 1 : 0;
  t.model_errors.push_back(std::fabs(e.error));
  t.report.models.push_back(std::move(e));
}

EvaluationReport finish(Tally& t) {
  EvaluationReport& r = t.report;
  int within = 0;
  for (const ModelEvaluation& e : r.models) {
    within += std::fabs(e.error) <= r.tolerance;
    r.ops += e.ops;
    r.ops_within += e.ops_within;
    r.fallback_ops += e.fallback_ops;
  }
  r.share_models_within = r.models.empty() ? 0 : static_cast<double>(within) / static_cast<double>(r.models.size());
  r.share_ops_within = r.ops ? static_cast<double>(r.ops_within) / r.ops : 0;
  r.share_op_time_within = t.op_time > 0 ? t.op_time_within / t.op_time : 0;
  r.median_abs_model_error = median(t.model_errors);
  r.median_abs_op_error = median(t.op_errors);
  for (auto& [type, k] : r.kernel_types) k.median_abs_error = median(t.type_errors[type]);
  return r;
}

Result<std::vector<ModelSamples>> pick(const std::vector<ModelSamples>& samples, const std::vector<std::string>& names) {
  std::vector<ModelSamples> out;
  for (const std::string& n : names) {
    auto it = std::find_if(samples.begin(), samples.end(), [&](const ModelSamples& m) { return m.name == n; });
    if (it == samples.end()) {
      std::string known;
      for (const ModelSamples& m : samples) known += (known.empty() ? "" : ", ") + m.name;
      return invalid_argument("no measured model named '" + n + "' (have: " + known + ")");
    }
    out.push_back(*it);
  }
  return out;
}

}  // namespace

EvaluationReport evaluate_latency_model(const LatencyModel& model, const std::vector<ModelSamples>& test, double tolerance) {
  Tally t;
  t.report.tolerance = tolerance;
  for (const ModelSamples& ms : test) add_model(t, model, ms);
  return finish(t);
}

Result<EvaluationReport> evaluate_split(const std::vector<ModelSamples>& samples, const std::vector<std::string>& train,
                                        const std::vector<std::string>& test, const DeviceProfile& host,
                                        const LatencyFitOptions& fit, double tolerance) {
  std::set<std::string> train_set(train.begin(), train.end());
  for (const std::string& n : test)
    if (train_set.count(n)) return invalid_argument("model '" + n + "' is in both the training and the test set");
  if (train.empty() || test.empty()) return invalid_argument("both the training and the test set need a model");
  EW_ASSIGN_OR_RETURN(auto train_samples, pick(samples, train));
  EW_ASSIGN_OR_RETURN(auto test_samples, pick(samples, test));
  EW_ASSIGN_OR_RETURN(LatencyModel model, fit_latency_model(train_samples, host, fit));
  EvaluationReport r = evaluate_latency_model(model, test_samples, tolerance);
  r.protocol = "split";
  return r;
}

bool train_only_match(const std::string& name, const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    if (!p.empty() && p.back() == '*' ? name.compare(0, p.size() - 1, p, 0, p.size() - 1) == 0 : name == p) return true;
  }
  return false;
}

Result<EvaluationReport> evaluate_leave_one_out(const std::vector<ModelSamples>& samples,
                                                const std::vector<std::string>& train_only, const DeviceProfile& host,
                                                const LatencyFitOptions& fit, double tolerance) {
  Tally t;
  t.report.tolerance = tolerance;
  t.report.protocol = "leave-one-model-out";
  for (const ModelSamples& held : samples) {
    if (train_only_match(held.name, train_only)) continue;
    std::vector<ModelSamples> train;
    for (const ModelSamples& m : samples)
      if (m.name != held.name) train.push_back(m);
    if (train.empty()) return invalid_argument("leave-one-model-out needs at least two models");
    EW_ASSIGN_OR_RETURN(LatencyModel model, fit_latency_model(train, host, fit));
    add_model(t, model, held);
  }
  if (t.report.models.empty()) return invalid_argument("no model left to test (every model is train-only)");
  return finish(t);
}

nlohmann::json to_json(const EvaluationReport& r) {
  nlohmann::json models = nlohmann::json::array();
  for (const ModelEvaluation& e : r.models)
    models.push_back({{"name", e.name}, {"measured_ms", e.measured_ms}, {"predicted_ms", e.predicted_ms},
                      {"error", e.error}, {"within", std::fabs(e.error) <= r.tolerance}, {"ops", e.ops},
                      {"ops_within", e.ops_within}, {"fallback_ops", e.fallback_ops}, {"trained_on", e.trained_on}});
  nlohmann::json types = nlohmann::json::object();
  for (const auto& [k, v] : r.kernel_types)
    types[k] = {{"ops", v.ops}, {"ops_within", v.ops_within}, {"median_abs_error", v.median_abs_error}};
  return {{"protocol", r.protocol},
          {"tolerance", r.tolerance},
          {"models", std::move(models)},
          {"share_models_within", r.share_models_within},
          {"share_ops_within", r.share_ops_within},
          {"share_op_time_within", r.share_op_time_within},
          {"median_abs_model_error", r.median_abs_model_error},
          {"median_abs_op_error", r.median_abs_op_error},
          {"ops", r.ops},
          {"ops_within", r.ops_within},
          {"fallback_ops", r.fallback_ops},
          {"kernel_types", std::move(types)}};
}

}  // namespace ew
