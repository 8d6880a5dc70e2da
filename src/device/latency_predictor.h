// Calibrated latency predictor: per-kernel latency models fitted to this
// host's measured step times (kernel_samples.h), in the way nn-Meter predicts
// kernels, then summed over a model's executed steps.
//
// The model is additive and linear in its coefficients, so fused steps (an
// XNNPACK partition of dozens of nodes) and single-node steps train the same
// coefficients. A step on backend B costs
//
//   t = c[step|B] + c[step_bytes|B] * (bytes in and out of the step)
//     + c[layout_bytes|B] * (of those, rank-4 activations: XNNPACK's NCHW<->NHWC edges)
//     + sum over its nodes n of class K = B|op_class/precision:
//         c[node|K] + c[macs|K] * MACs(n) + c[bytes|K] * activation bytes(n)
//         + c[wbytes|K] * weight bytes(n) + c[elems|K] * outputs(n)
//         + c[cold_wbytes|K] * weight bytes(n) when the model's weights exceed 16 MiB
//           (they no longer stay in the last-level cache between runs)
//         + c[im2col|K] * elements gathered by im2col(n), for kxk convolutions on the
//           backends that gather (int8_gemm_conv, reference): MACs / output channels
//
// so each kernel type K (backend, op class such as Conv.dw or Conv.1x1,
// precision) has a per-call overhead, a time per MAC, per activation byte and
// per weight byte (weights that outgrow the caches stream from DRAM),
// and a time per output element (what a low-channel convolution pays beyond
// its MACs), which extrapolate across shapes. On an im2col backend 3x3 and
// other kxk convolutions share one kernel type ("Conv.kxk": the same gather +
// GEMM code; the im2col term carries the kernel size), so a shape seen in one
// model informs the other. Coefficients are fitted by non-negative
// least squares (a time per unit of work is never negative) on rows weighted
// by 1/measured, i.e. minimising relative error. A model's latency is the sum
// of its steps plus a fitted per-run overhead (time outside the steps).
//
// A node whose kernel type was never seen in training falls back to a
// roofline estimate on the host profile (max(FLOPs / peak, bytes / bandwidth))
// divided by the median roofline efficiency of the training steps; such steps
// say so. (A pooled per-backend model was tried as a first fallback and
// predicted worse: op classes within a backend differ too much.)
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "device/device_profile.h"
#include "device/kernel_samples.h"

namespace ew {

// 2: im2col terms, and 3x3 convolutions on im2col backends fitted as "Conv.kxk".
inline constexpr int kLatencyModelVersion = 2;

struct LatencyFitOptions {
  int version = 1;
  bool relative = true;           // weight rows by 1/measured (relative error); false: absolute error
  double floor_ms = 0.002;        // measured times below this weigh as this (timer noise)
  // Ridge penalties (on columns scaled to a maximum of 1): per-call constants are
  // shrunk harder than per-MAC/byte/element rates, so a kernel type seen on few
  // shapes explains its time by work, which extrapolates, rather than by a constant.
  double const_ridge = 1e-2;
  double work_ridge = 0;
  // Weigh each model's steps by 1/sqrt(its step count), so a model run as one
  // fused step is not outvoted by one with sixty small steps.
  bool balance_models = false;
  // Weight of rows from sampled one-kernel models (names "kernel_*", sampled_kernels.h):
  // they run warm and alone, while in a model each kernel follows others that evict its data.
  double sampled_kernel_weight = 0.3;  // chosen on the leave-one-out table (0.1-0.5 all similar)
};

struct LatencyModel {
  int version = kLatencyModelVersion;
  std::string host_fingerprint;          // the machine the samples came from
  std::vector<std::string> trained_on;   // model names
  int training_steps = 0;
  std::map<std::string, double> coefficients;  // term -> seconds per unit ("macs|xnnpack|Conv.dw/fp32")
  std::map<std::string, int> support;          // term -> training steps where it was non-zero
  double run_overhead_ms = 0;
  // Roofline fallback for unseen kernel types.
  std::map<Precision, double> peak_ops;  // ops/s at each precision (host profile)
  double bandwidth = 0;                  // bytes/s
  double efficiency = 1;                 // median of roofline time / measured time over training steps
};

// Fits on every step of `samples`; `host` supplies the fallback's roofline numbers.
Result<LatencyModel> fit_latency_model(const std::vector<ModelSamples>& samples, const DeviceProfile& host,
                                       const LatencyFitOptions& options = {});

struct StepPrediction {
  std::string name, op_pattern, backend, kernel_type;
  double latency_ms = 0;
  bool fallback = false;  // some node's kernel type was never seen: roofline / efficiency
};

struct LatencyPrediction {
  double latency_ms = 0;  // steps + run overhead
  std::vector<StepPrediction> steps;
  int fallback_steps = 0;
};

LatencyPrediction predict_latency(const LatencyModel& model, const std::vector<KernelStep>& steps);
// One step's predicted seconds; sets *fallback when it used the roofline fallback.
double predict_step_seconds(const LatencyModel& model, const KernelStep& step, bool* fallback = nullptr);

// The linear terms of one step: term name -> feature value (see the header comment).
std::map<std::string, double> step_terms(const KernelStep& step);

// {"format": "edgewise-latency-model", "version": 2, ...}. Parsing checks every field.
nlohmann::json to_json(const LatencyModel& model);
Result<LatencyModel> latency_model_from_json(const nlohmann::json& j, const std::string& origin);
Status save_latency_model(const LatencyModel& model, const std::string& path);
Result<LatencyModel> load_latency_model(const std::string& path);

// latency_model.json beside the host profile cache (default_host_profile_cache_path), or "".
std::string default_latency_model_path();
// Loads `path` ("" = the default) and checks it was fitted on this machine (host_fingerprint()).
Result<LatencyModel> load_host_latency_model(const std::string& path = "");

}  // namespace ew
