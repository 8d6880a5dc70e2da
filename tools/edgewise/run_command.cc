// edgewise run MODEL: run on given (.npy / .pb), reference-set or random
// inputs; write inputs and outputs as .npy; optionally check against a
// test_data_set or a folder of .npy outputs (e.g. another runtime's).
#include <chrono>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "check/compare.h"
#include "check/test_data.h"
#include "commands.h"
#include "core/npy.h"
#include "core/tensor_file.h"
#include "runtime/random_inputs.h"
#include "runtime/session.h"
#include "runtime/tensor_folder.h"

namespace ew::cli {

namespace {

struct Args {
  std::string model, output_dir, check, inputs_dir, save_inputs;
  std::vector<std::string> inputs, dims;
  SessionArgs session;
  bool json = false;
  uint64_t seed = 42;
};

std::vector<std::string> names_of(const std::vector<ValueInfo>& values) {
  std::vector<std::string> names;
  for (const auto& v : values) names.push_back(v.name);
  return names;
}

Result<std::map<std::string, Tensor>> gather_inputs(const Args& a, const Session& s, const TestDataSet* ref) {
  std::map<std::string, Tensor> feeds;
  if (!a.inputs_dir.empty()) return read_tensor_folder(a.inputs_dir, s.inputs(), "input");
  if (ref && !ref->inputs.empty() && a.inputs.empty()) return bind_inputs(s, *ref);
  // NAME=FILE binds by name; a bare FILE takes the next input not named.
  std::vector<std::string> names = names_of(s.inputs()), positional;
  for (const auto& spec : a.inputs) {
    EW_ASSIGN_OR_RETURN(auto kv, parse_input_spec(spec, names));
    if (kv.first.empty()) {
      positional.push_back(kv.second);
      continue;
    }
    if (feeds.count(kv.first)) return invalid_argument("--input gives '" + kv.first + "' twice");
    EW_ASSIGN_OR_RETURN(feeds[kv.first], read_tensor_file(kv.second));
  }
  size_t next = 0;
  for (const auto& file : positional) {
    while (next < names.size() && feeds.count(names[next])) ++next;
    if (next == names.size())
      return invalid_argument("--input " + file + ": the model has " + std::to_string(names.size()) +
                              " inputs and all are given already");
    EW_ASSIGN_OR_RETURN(feeds[names[next]], read_tensor_file(file));
  }
  if (!feeds.empty()) return feeds;
  EW_ASSIGN_OR_RETURN(auto dims, parse_dims(a.dims));
  return random_inputs(s, dims, 1, a.seed);
}

// Compares outputs with the reference set; fills `report` and returns whether all match.
bool check_outputs(const Session& s, const std::vector<Tensor>& outs, const TestDataSet& ref, nlohmann::json& report) {
  bool all = outs.size() == ref.outputs.size();
  if (!all) report["error"] = "model produced " + std::to_string(outs.size()) + " outputs, reference has " + std::to_string(ref.outputs.size());
  for (size_t i = 0; i < std::min(outs.size(), ref.outputs.size()); ++i) {
    const Tensor& expected = ref.outputs[i].tensor;
    Comparison c = compare_tensors(outs[i], expected, reference_tolerance(s.model(), s.outputs()[i].name, expected));
    all &= c.match;
    report["outputs"].push_back({{"name", s.outputs()[i].name}, {"match", c.match}, {"max_abs_error", c.max_abs_error},
                                 {"max_rel_error", c.max_rel_error}, {"detail", c.message}});
  }
  report["match"] = all;
  return all;
}


// The reference for --check: a test_data_set (input_K.pb / output_K.pb) or a
// folder of .npy outputs named by output name (or output_K.npy), e.g. written
// by another runtime; the latter has no inputs.
Result<TestDataSet> read_reference(const std::string& dir, const Session& s) {
  std::error_code ec;
  if (std::filesystem::exists(dir + "/input_0.pb", ec) || std::filesystem::exists(dir + "/output_0.pb", ec))
    return read_test_data_set(dir);
  EW_ASSIGN_OR_RETURN(auto outs, read_tensor_folder(dir, s.outputs(), "output"));
  TestDataSet set;
  set.dir = dir;
  for (const auto& v : s.outputs()) set.outputs.push_back({v.name, outs.at(v.name)});
  return set;
}

Status save_inputs(const std::string& dir, const Session& s, const std::map<std::string, Tensor>& feeds) {
  std::vector<Tensor> ordered;
  for (const auto& v : s.inputs()) ordered.push_back(feeds.at(v.name));
  return write_tensor_folder(dir, names_of(s.inputs()), ordered);
}

void print_text(const Session& s, const std::vector<Tensor>& outs, const nlohmann::json& j) {
  std::printf("ran in %.3f ms\n", j["run_ms"].get<double>());
  for (size_t i = 0; i < outs.size(); ++i) {
    const Tensor& t = outs[i];
    double lo = 0, hi = 0, sum = 0;
    for (int64_t k = 0; k < t.numel(); ++k) {
      double v = t.get_double(k);
      if (k == 0 || v < lo) lo = v;
      if (k == 0 || v > hi) hi = v;
      sum += v;
    }
    std::printf("output %-20s %-22s min %.5g max %.5g mean %.5g\n", s.outputs()[i].name.c_str(), t.describe().c_str(),
                lo, hi, t.numel() ? sum / static_cast<double>(t.numel()) : 0.0);
  }
  if (!j.contains("check")) return;
  for (const auto& o : j["check"]["outputs"])
    std::printf("check %-21s %s  max abs err %.3g  max rel err %.3g %s\n", o["name"].get<std::string>().c_str(),
                o["match"].get<bool>() ? "MATCH   " : "MISMATCH", o["max_abs_error"].get<double>(),
                o["max_rel_error"].get<double>(), o["detail"].get<std::string>().c_str());
  std::printf("check: %s\n", j["check"]["match"].get<bool>() ? "all outputs match" : "MISMATCH");
}

int run(const Args& a) {
  auto options = session_options(a.session);
  if (!options.is_ok()) return report_error(options.status());
  auto session = Session::load(a.model, *options);
  if (!session.is_ok()) return report_error(session.status());
  const Session& s = **session;
  std::unique_ptr<TestDataSet> ref;
  if (!a.check.empty()) {
    auto r = read_reference(a.check, s);
    if (!r.is_ok()) return report_error(r.status());
    ref = std::make_unique<TestDataSet>(std::move(r).value());
  }
  auto feeds = gather_inputs(a, s, ref.get());
  if (!feeds.is_ok()) return report_error(feeds.status());
  if (!a.save_inputs.empty()) {
    Status w = save_inputs(a.save_inputs, s, *feeds);
    if (!w.is_ok()) return report_error(w);
  }
  auto start = std::chrono::steady_clock::now();
  auto outs = s.run(*feeds);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!outs.is_ok()) return report_error(outs.status());
  nlohmann::json j;
  j["run_ms"] = ms;
  for (size_t i = 0; i < outs->size(); ++i)
    j["outputs"].push_back({{"name", s.outputs()[i].name}, {"dtype", dtype_name((*outs)[i].dtype())}, {"shape", (*outs)[i].shape()}});
  bool ok = true;
  if (ref) ok = check_outputs(s, *outs, *ref, j["check"]);
  if (!a.output_dir.empty()) {
    Status w = write_tensor_folder(a.output_dir, names_of(s.outputs()), *outs);
    if (!w.is_ok()) return report_error(w);
  }
  if (a.json) std::cout << j.dump(2) << "\n";
  else print_text(s, *outs, j);
  return ok ? 0 : 1;
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("run", "Run a model on .npy/.pb inputs (or deterministic random ones) and check outputs");
  cmd->add_option("model", args->model, "ONNX model file")->required();
  cmd->add_option("--input", args->inputs, "NAME=FILE, or FILE for the next input in order (.npy or TensorProto .pb); repeat per input");
  cmd->add_option("--output-dir,--save-outputs", args->output_dir, "Write each output as OUTPUT_NAME.npy here (name sanitized)");
  cmd->add_option("--inputs", args->inputs_dir, "Folder of inputs: INPUT_NAME.npy, input_K.npy or input_K.pb");
  cmd->add_option("--save-inputs", args->save_inputs, "Write the inputs used as INPUT_NAME.npy here (name sanitized)");
  cmd->add_option("--check", args->check, "A test_data_set_N folder (use its inputs unless --input/--inputs, compare outputs) or a folder of\n"
                                  "OUTPUT_NAME.npy / output_K.npy to compare with (inputs from --input/--inputs or random)");
  cmd->add_option("--dims", args->dims, "Bind symbolic dims for random inputs, e.g. N=4,S=128 (default 1)");
  cmd->add_option("--seed", args->seed, "Seed for random inputs")->capture_default_str();
  add_session_options(cmd, args->session);
  cmd->add_flag("--json", args->json, "Print the result as JSON");
  cmd->footer("Exit code 1 when --check finds a mismatch (rtol 1e-3, atol 1e-4; int8 outputs, and float outputs of a\n"
              "final DequantizeLinear, within one quantization step), 2 on errors.");
  cmd->callback([args] { exit_code() = run(*args); });
}

}  // namespace ew::cli
