// `edgewise predict MODEL --device host --method calibrated`: the model's
// latency on this host from the calibrated per-kernel latency model
// (src/device/latency_predictor.h), per executed step.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace ew::cli {

struct CalibratedPredictArgs {
  std::string model, latency_model;  // latency_model "" = the default beside the host profile cache
  std::map<std::string, int64_t> dims;
  int top = 10;
  bool json = false;
};

// Prints the prediction; returns the exit code.
int run_calibrated_predict(const CalibratedPredictArgs& args);

}  // namespace ew::cli
