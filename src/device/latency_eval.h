// Honest evaluation of the calibrated latency predictor: fit on some models,
// predict others, and count how many models and how many ops (executed steps,
// views excluded) land within ±tolerance of their measured time — nn-Meter's
// bar is ~99% of models within ±10% on mobile CPUs.
//
// Two protocols: a fixed split (train on A, B; test on C, D) and
// leave-one-model-out (each test model is predicted by a model fitted on all
// other models; models named in `train_only` are always trained on, never
// tested; a name ending in '*' matches by prefix, e.g. "kernel_*").
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "device/latency_predictor.h"

namespace ew {

struct ModelEvaluation {
  std::string name;
  double measured_ms = 0, predicted_ms = 0;
  double error = 0;  // predicted / measured - 1
  int ops = 0, ops_within = 0, fallback_ops = 0;
  std::vector<std::string> trained_on;
};

struct KernelTypeEvaluation {
  int ops = 0, ops_within = 0;
  double median_abs_error = 0;
};

struct EvaluationReport {
  std::string protocol;  // "split" or "leave-one-model-out"
  double tolerance = 0.1;
  std::vector<ModelEvaluation> models;
  std::map<std::string, KernelTypeEvaluation> kernel_types;
  int ops = 0, ops_within = 0, fallback_ops = 0;
  double share_models_within = 0, share_ops_within = 0;
  double share_op_time_within = 0;  // ops within, weighted by measured time
  double median_abs_model_error = 0, median_abs_op_error = 0;
};

// Predicts every model in `test` with `model` and tallies (protocol left empty).
EvaluationReport evaluate_latency_model(const LatencyModel& model, const std::vector<ModelSamples>& test,
                                        double tolerance);

// Fits on the models named in `train`, tests on those in `test` (names must exist and not overlap).
Result<EvaluationReport> evaluate_split(const std::vector<ModelSamples>& samples, const std::vector<std::string>& train,
                                        const std::vector<std::string>& test, const DeviceProfile& host,
                                        const LatencyFitOptions& fit, double tolerance);

// Whether `name` is one of `patterns` (a pattern ending in '*' matches by prefix).
bool train_only_match(const std::string& name, const std::vector<std::string>& patterns);

Result<EvaluationReport> evaluate_leave_one_out(const std::vector<ModelSamples>& samples,
                                                const std::vector<std::string>& train_only, const DeviceProfile& host,
                                                const LatencyFitOptions& fit, double tolerance);

nlohmann::json to_json(const EvaluationReport& report);

}  // namespace ew
