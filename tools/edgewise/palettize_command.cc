// edgewise palettize: k-means weight clustering into 2^bits-entry codebooks,
// written as standard ONNX; optionally fine-tunes the codebooks on data.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "palettize/palettize.h"
#include "train_arguments.h"

namespace ew::cli {
namespace {

struct PalettizeArgs {
  TrainArgs train;
  int bits = 4;
  int64_t min_elements = 2048;
  std::string skip;
};

// Top-1 of `model` on `data` (-1 without data).
Result<double> accuracy(const Model& model, const train::TrainingData& data, int threads) {
  if (data.size() == 0) return -1.0;
  EW_ASSIGN_OR_RETURN(train::Evaluation e, train::evaluate(model, data, 256, threads));
  return e.accuracy;
}

nlohmann::json maybe(double v) { return v >= 0 ? nlohmann::json(v) : nlohmann::json(nullptr); }

int run_palettize(const PalettizeArgs& a) {
  auto model = load_onnx(a.train.model);
  if (!model.is_ok()) return report_error(model.status());
  const bool with_data = !a.train.dataset.empty() || !a.train.data.empty();
  if (a.train.epochs > 0 && !with_data)
    return report_error(invalid_argument("fine-tuning (--epochs) needs --dataset or --data/--labels"));
  DataSplits data;
  std::string eval_on = "none";
  if (with_data) {
    auto d = load_data_splits(a.train);
    if (!d.is_ok()) return report_error(d.status());
    data = std::move(*d);
    eval_on = data.on_test ? "test" : "validation";
  }
  const train::TrainingData& eval_data = data.eval;
  auto before = accuracy(*model, eval_data, a.train.threads);
  if (!before.is_ok()) return report_error(before.status());
  palettize::PalettizeOptions po;
  po.bits = a.bits;
  po.min_elements = a.min_elements;
  po.skip = split_commas(a.skip);
  auto report = palettize::palettize(*model, po);
  if (!report.is_ok()) return report_error(report.status());
  auto clustered = accuracy(*model, eval_data, a.train.threads);
  if (!clustered.is_ok()) return report_error(clustered.status());
  double tuned = -1;
  nlohmann::json training;
  if (a.train.epochs > 0) {
    auto options = train_options(a.train);
    if (!options.is_ok()) return report_error(options.status());
    auto r = train::train(*model, data.train, data.validation, *options, progress_printer(a.train));
    finish_progress();
    if (!r.is_ok()) return report_error(r.status());
    training = train_report_json(*r, a.train.output);
    auto t = accuracy(*model, eval_data, a.train.threads);
    if (!t.is_ok()) return report_error(t.status());
    tuned = *t;
  }
  Status s = save_onnx(*model, a.train.output);
  if (!s.is_ok()) return report_error(s);
  std::error_code ec;
  const double in_bytes = static_cast<double>(std::filesystem::file_size(a.train.model, ec));
  const double out_bytes = static_cast<double>(std::filesystem::file_size(a.train.output, ec));
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : report->layers)
    layers.push_back({{"name", l.name}, {"elements", l.elements}, {"clusters", l.clusters}, {"sqnr_db", l.sqnr_db},
                      {"bytes_before", l.bytes_before}, {"bytes_after", l.bytes_after}});
  nlohmann::json j{{"output", a.train.output},
                   {"bits", a.bits},
                   {"layers", layers},
                   {"file_bytes_before", in_bytes},
                   {"file_bytes_after", out_bytes},
                   {"size_ratio", out_bytes > 0 ? in_bytes / out_bytes : 0.0},
                   {"float_weight_bytes", report->float_weight_bytes},
                   {"palettized_weight_bytes", report->palettized_bytes},
                   {"accuracy_on", eval_on},
                   {"accuracy_before", maybe(*before)},
                   {"accuracy_palettized", maybe(*clustered)},
                   {"accuracy_fine_tuned", maybe(tuned)}};
  if (!training.is_null()) j["training"] = training;
  if (a.train.json) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::printf("%-40s %10s %8s %9s\n", "weight", "values", "entries", "SQNR dB");
  for (const auto& l : report->layers)
    std::printf("%-40s %10lld %8d %9.1f\n", l.name.c_str(), static_cast<long long>(l.elements), l.clusters, l.sqnr_db);
  std::printf("%zu weights palettized at %d bits: file %s -> %s (%.2fx smaller)\n", report->layers.size(), a.bits,
              human_bytes(in_bytes).c_str(), human_bytes(out_bytes).c_str(), out_bytes > 0 ? in_bytes / out_bytes : 0.0);
  if (*before >= 0) {
    std::printf("top-1 on the %s data: %.4f float, %.4f palettized", eval_on.c_str(), *before, *clustered);
    if (tuned >= 0) std::printf(", %.4f after fine-tuning the codebooks", tuned);
    std::printf("\n");
  }
  std::printf("saved %s\n", a.train.output.c_str());
  return 0;
}

}  // namespace

void add_palettize_command(CLI::App& app) {
  auto a = std::make_shared<PalettizeArgs>();
  a->train.epochs = 0;    // no fine-tuning unless asked
  a->train.lr = 1e-4;     // codebooks of a trained model move little
  auto* cmd = app.add_subcommand("palettize",
                                 "Cluster weights into 2^bits-entry codebooks (k-means) as standard ONNX; --epochs E fine-tunes the codebooks on data");
  cmd->add_option("model", a->train.model, "ONNX model")->required();
  cmd->add_option("-o,--output", a->train.output, "Where to write the palettized .onnx")->required();
  cmd->add_option("--bits", a->bits, "Bits per weight index: 1-8, typically 2, 4 or 6 (default 4)");
  cmd->add_option("--min-elements", a->min_elements, "Weights with fewer values stay float (default 2048)");
  cmd->add_option("--skip", a->skip, "Comma-separated name patterns of weights left float");
  add_train_options(cmd, a->train);
  add_bool_flag(cmd, "--test", a->train.test, "With --dataset fashion-mnist: score on the test split (default on)");
  cmd->add_flag("--json", a->train.json, "Print the result as JSON");
  cmd->callback([a] { exit_code() = run_palettize(*a); });
}

}  // namespace ew::cli
