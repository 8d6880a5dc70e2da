// edgewise gradients: the mean loss and every parameter's gradient for one
// batch, written as .npy files named after the initializers.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "core/npy.h"
#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "train/gradients.h"

namespace ew::cli {
namespace {

struct Args {
  std::string model, labels, output_dir, loss = "cross-entropy", freeze, write_graph;
  std::vector<std::string> inputs;
  float label_smoothing = 0;
  bool eval_mode = false, json = false;
  int threads = 1;
};

// An initializer name as a file name: characters other than [A-Za-z0-9._-] become '_'.
std::string file_name(const std::string& name) {
  std::string f = name;
  for (char& c : f)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  return f + ".npy";
}

int run_gradients(const Args& a) {
  auto model = load_onnx(a.model);
  if (!model.is_ok()) return report_error(model.status());
  std::vector<std::string> names;
  for (const auto& in : model->graph.inputs) names.push_back(in.name);
  std::map<std::string, Tensor> inputs;
  for (const std::string& spec : a.inputs) {
    auto kv = parse_input_spec(spec, names);
    if (!kv.is_ok()) return report_error(kv.status());
    std::string name = kv->first.empty() ? (inputs.size() < names.size() ? names[inputs.size()] : "") : kv->first;
    auto t = read_npy(kv->second);
    if (!t.is_ok()) return report_error(t.status().with_context(kv->second + ": "));
    inputs[name] = *t;
  }
  Tensor labels;
  if (!a.labels.empty()) {
    auto y = read_npy(a.labels);
    if (!y.is_ok()) return report_error(y.status().with_context(a.labels + ": "));
    labels = is_integer(y->dtype()) ? Tensor::from_vector<int64_t>(y->shape(), y->to_int64_vector()).value() : *y;
  }
  train::TrainingGraphOptions o;
  o.loss.kind = a.loss;
  o.loss.label_smoothing = a.label_smoothing;
  o.batch_norm_training = !a.eval_mode;
  o.dropout = !a.eval_mode;
  std::stringstream ss(a.freeze);
  for (std::string p; std::getline(ss, p, ',');)
    if (!p.empty()) o.freeze.push_back(p);
  if (!a.write_graph.empty()) {
    auto g = train::standalone_training_graph(*model, o);
    Status saved = g.is_ok() ? save_onnx(*g, a.write_graph) : g.status();
    if (!saved.is_ok()) return report_error(saved.with_context(a.write_graph + ": "));
  }
  auto r = train::compute_gradients(*model, inputs, labels, o, a.threads);
  if (!r.is_ok()) return report_error(r.status());
  std::error_code ec;
  std::filesystem::create_directories(a.output_dir, ec);
  if (ec) return report_error(invalid_argument("cannot create " + a.output_dir + ": " + ec.message()));
  Status s = write_npy(a.output_dir + "/loss.npy", Tensor::scalar<float>(r->loss).value());
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [name, g] : r->gradients) {
    if (!s.is_ok()) break;
    files[name] = file_name(name);
    s = write_npy(a.output_dir + "/" + file_name(name), g);
  }
  if (!s.is_ok()) return report_error(s);
  if (a.json) {
    std::cout << nlohmann::json{{"loss", r->loss}, {"output_dir", a.output_dir}, {"gradients", files}}.dump(2) << "\n";
  } else {
    std::printf("loss %.6g; %zu gradients written to %s\n", r->loss, r->gradients.size(), a.output_dir.c_str());
  }
  return 0;
}

}  // namespace

void add_gradients_command(CLI::App& app) {
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("gradients", "Write the loss and each parameter's gradient for one batch as .npy");
  cmd->add_option("model", a->model, "ONNX model")->required();
  cmd->add_option("--input", a->inputs, "NAME=FILE.npy (or FILE.npy by position), repeatable")->required();
  cmd->add_option("--labels", a->labels, ".npy labels: class indices [N] or float targets");
  cmd->add_option("--loss", a->loss, "cross-entropy (default) | mse | l1 | bce-with-logits | output (the model's output is the loss)");
  cmd->add_option("--label-smoothing", a->label_smoothing, "Cross-entropy label smoothing in [0, 1)");
  cmd->add_option("--freeze", a->freeze, "Comma-separated name patterns of parameters left out");
  cmd->add_flag("--eval-mode", a->eval_mode, "BatchNorm on running statistics and no dropout (default: training mode)");
  cmd->add_option("--output-dir", a->output_dir, "Folder for loss.npy and <parameter>.npy")->required();
  cmd->add_option("--write-graph", a->write_graph,
                  "Also write the training graph (forward, loss, backward; parameters as initializers) as .onnx: "
                  "`edgewise bench FILE --profile` times its backward steps");
  cmd->add_option("--threads", a->threads, "Threads (default 1)");
  cmd->add_flag("--json", a->json, "Print the result as JSON");
  cmd->callback([a] { exit_code() = run_gradients(*a); });
}

}  // namespace ew::cli
