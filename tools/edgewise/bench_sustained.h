// `edgewise bench MODEL --device PROFILE --sustained SECONDS [--fallback V.onnx]
// [--accuracy A,B]`: a simulated sustained run (src/device/sustained.h) on a
// device profile instead of a measurement on this machine. The models are
// predicted with the roofline as `edgewise predict` does.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "device/sustained.h"

namespace ew::cli {

struct SustainedBenchArgs {
  std::string device, fallback, accuracy;
  double seconds = 0;
  double table_every = 0;  // text time-series spacing in seconds; 0 = about 20 rows
  double polling_s = 1.0;
  CLI::Option* sustained_option = nullptr;  // set by add_sustained_options
  CLI::Option* device_option = nullptr;
  CLI::Option* fallback_option = nullptr;
  CLI::Option* accuracy_option = nullptr;
  CLI::Option* table_option = nullptr;
  CLI::Option* polling_option = nullptr;
};

// Adds --device, --sustained, --fallback, --accuracy, --table-every and --polling to bench.
void add_sustained_options(CLI::App* bench, SustainedBenchArgs& args);
// True when any of those options was given (then bench simulates instead of measuring).
bool sustained_requested(const SustainedBenchArgs& args);

// Predicts the model (and the fallback) on the profile and simulates the run.
Result<SustainedResult> simulate_sustained_bench(const std::string& model, const std::vector<std::string>& dims,
                                                 const SustainedBenchArgs& args);
// Simulates and prints the summary and a time-series table, or JSON, and
// writes the HTML report (src/report/sustained_report.h) when `report_path`
// is set; returns the exit code.
int run_sustained_bench(const std::string& model, const std::vector<std::string>& dims,
                        const SustainedBenchArgs& args, bool json, const std::string& report_path = "");

}  // namespace ew::cli
