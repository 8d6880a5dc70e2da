// edgewise quantize MODEL -o OUT.onnx --mode static|dynamic|fp16|int4: post-
// training quantization into standard ONNX (QDQ for static) that ONNX Runtime
// also runs; prints a per-layer table or, with --json, the report.
#include <algorithm>
#include <functional>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "quant/accuracy_guard.h"
#include "quant/evaluate.h"
#include "quant/quantize_model.h"
#include "quantize_analysis.h"

namespace ew::cli {

namespace {

struct Args {
  std::string model, output, mode = "static", calib, dataset, method = "percentile", activation_type = "s8";
  std::string exclude;
  int calib_count = -1, block_size = 32, threads = 1, guard_samples = 32;
  double percentile = 99.99, min_sqnr = 20.0, guard_margin = 1.0;
  float smooth_alpha = 0.0f;
  bool symmetric_activations = false, keep_first_last = false, equalize = false, relu6_as_relu = false;
  bool bias_correction = false, json = false, per_channel = true, full_range = false;
  AnalysisArgs analysis;
};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

Result<quant::QuantizeOptions> quantize_options(const Args& a) {
  quant::QuantizeOptions o;
  EW_ASSIGN_OR_RETURN(o.mode, quant::quant_mode_from_name(a.mode));
  if (a.activation_type == "s8" || a.activation_type == "int8")
    o.activation_type = DType::kInt8;
  else if (a.activation_type == "u8" || a.activation_type == "uint8")
    o.activation_type = DType::kUInt8;
  else
    return invalid_argument("--activation-type must be s8 or u8, got '" + a.activation_type + "'");
  o.per_channel = a.per_channel;
  if (a.block_size != 32 && a.block_size != 64 && a.block_size != 128)
    return invalid_argument("--block-size must be 32, 64 or 128");
  o.symmetric_activations = a.symmetric_activations;
  o.reduce_range = !a.full_range;
  o.exclude = split_list(a.exclude);
  o.keep_first_last = a.keep_first_last;
  o.block_size = a.block_size;
  o.equalize = a.equalize;
  o.equalize_relu6_as_relu = a.relu6_as_relu;
  o.bias_correction = a.bias_correction;
  o.smooth_alpha = a.smooth_alpha;
  return o;
}

Result<quant::CalibrationOptions> calibration_options(const Args& a, bool show_progress) {
  quant::CalibrationOptions c;
  EW_ASSIGN_OR_RETURN(c.method, quant::calibration_method_from_name(a.method));
  if (!(a.percentile > 0.0 && a.percentile <= 100.0)) return invalid_argument("--percentile must be in (0, 100]");
  c.percentile = a.percentile;
  c.threads = a.threads;
  if (show_progress)
    c.progress = [](int done, int total) {
      const int step = total > 0 ? std::max(1, total / 50) : 64;
      if (done % step != 0 && done != total) return;
      if (total > 0)
        std::fprintf(stderr, "\rcalibrating %d/%d", done, total);
      else
        std::fprintf(stderr, "\rcalibrating %d", done);
      if (total > 0 && done == total) std::fprintf(stderr, "\n");
    };
  return c;
}

nlohmann::json report_json(const quant::QuantizeReport& r, const std::string& output) {
  nlohmann::json j;
  j["mode"] = quant::quant_mode_name(r.mode);
  j["output"] = output;
  j["bytes_before"] = r.bytes_before;
  j["bytes_after"] = r.bytes_after;
  j["compression"] = r.bytes_after > 0 ? static_cast<double>(r.bytes_before) / r.bytes_after : 0.0;
  if (r.mode == quant::QuantMode::kStatic) {
    j["calibration_samples"] = r.calibration_samples;
    j["calibration_method"] = quant::calibration_method_name(r.calibration_method);
    j["equalized_pairs"] = r.equalized_pairs;
    j["relu6_replaced"] = r.relu6_replaced;
    j["bias_corrected_layers"] = r.bias_corrected_layers;
    j["smoothed_tensors"] = r.smoothed_tensors;
  }
  j["layers"] = nlohmann::json::array();
  for (const auto& l : r.layers)
    j["layers"].push_back({{"node", l.node},
                           {"op_type", l.op_type},
                           {"bits", l.bits},
                           {"why", l.why},
                           {"weight_scale_min", l.weight_scale_min},
                           {"weight_scale_max", l.weight_scale_max},
                           {"weight_sqnr_db", l.weight_sqnr_db},
                           {"input_scale", l.input_scale},
                           {"input_zero_point", l.input_zero_point}});
  j["ops_before"] = r.ops_before;
  j["ops_after"] = r.ops_after;
  j["onnx_checked"] = r.onnx_checked;
  if (r.opset_after > 0) j["opset_upgraded"] = {{"from", r.opset_before}, {"to", r.opset_after}};
  return j;
}

nlohmann::json guard_json(const quant::AccuracyGuardReport& g, double floor, double margin) {
  nlohmann::json j{{"measured", g.measured}, {"min_sqnr_db", floor}, {"margin_db", margin}};
  if (!g.measured) return j;
  j["samples"] = g.samples;
  j["random_inputs"] = g.random_inputs;
  j["first_sqnr_db"] = g.first_sqnr_db;
  j["final_sqnr_db"] = g.final_sqnr_db;
  j["worst_output"] = g.worst_output;
  j["agreement"] = g.final_output.agreement;
  j["layers_quantized"] = g.layers_quantized;
  j["quantizations_measured"] = g.attempts;
  j["kept_float"] = nlohmann::json::array();
  for (const auto& k : g.kept_float)
    j["kept_float"].push_back({{"node", k.node}, {"op_type", k.op_type}, {"alone_sqnr_db", k.alone_sqnr_db}});
  return j;
}

void print_guard(const quant::AccuracyGuardReport& g, double floor, double margin) {
  if (!g.measured) {
    std::printf("accuracy guard: off (--min-sqnr 0)\n");
    return;
  }
  const std::string on =
      std::to_string(g.samples) + (g.random_inputs ? " random inputs (no --calib given)" : " calibration samples");
  if (g.kept_float.empty()) {
    std::printf("accuracy guard: output SQNR %.1f dB on %s (floor %.1f dB + %.1f dB margin, worst output '%s')\n",
                g.final_sqnr_db, on.c_str(), floor, margin, g.worst_output.c_str());
    return;
  }
  std::printf("accuracy guard: fully quantized, the output SQNR was %.1f dB on %s, below the %.1f dB floor + %.1f dB margin;\n"
              "  kept float (most sensitive first; output SQNR with only that layer quantized):\n",
              g.first_sqnr_db, on.c_str(), floor, margin);
  for (const auto& k : g.kept_float)
    std::printf("    %-40s %-12s %6.1f dB\n", k.node.c_str(), k.op_type.c_str(), k.alone_sqnr_db);
  std::printf("  now %.1f dB with %d layer(s) quantized (%d quantizations measured)\n", g.final_sqnr_db,
              g.layers_quantized, g.attempts);
}

void print_report(const quant::QuantizeReport& r, const std::string& output, const std::function<void()>& before_size) {
  std::cout << std::left << std::setw(36) << "layer" << std::setw(18) << "op" << std::setw(6) << "bits" << std::setw(24)
            << "weight scale min..max" << std::setw(10) << "SQNR dB" << std::setw(12) << "in scale"
            << "in zp / note\n";
  for (const auto& l : r.layers) {
    const bool weighted = l.weight_scale_max > 0.0f;
    std::ostringstream scales, sqnr, in;
    if (weighted) scales << std::setprecision(3) << l.weight_scale_min << ".." << l.weight_scale_max;
    if (weighted) sqnr << std::fixed << std::setprecision(1) << l.weight_sqnr_db;
    if (l.input_scale > 0.0f) in << std::setprecision(4) << l.input_scale;
    std::cout << std::left << std::setw(36) << l.node.substr(0, 35) << std::setw(18) << l.op_type << std::setw(6)
              << l.bits << std::setw(24) << (weighted ? scales.str() : "-") << std::setw(10)
              << (weighted ? sqnr.str() : "-") << std::setw(12) << (l.input_scale > 0.0f ? in.str() : "-")
              << (l.bits >= 16           ? l.why
                  : l.input_scale > 0.0f ? std::to_string(l.input_zero_point)
                                         : "")
              << "\n";
  }
  if (r.equalized_pairs || r.bias_corrected_layers || r.smoothed_tensors)
    std::cout << "\nequalized pairs: " << r.equalized_pairs << " (ReLU6 made Relu: " << r.relu6_replaced
              << "), bias-corrected layers: " << r.bias_corrected_layers
              << ", smoothed MatMul inputs: " << r.smoothed_tensors << "\n";
  if (r.opset_after > 0)
    std::cout << "\nopset " << r.opset_before << " -> " << r.opset_after << ": the model was converted first ("
              << quant::quant_mode_name(r.mode) << " quantization needs opset " << r.opset_after << ")\n";
  std::cout << std::flush;
  before_size();
  std::cout << "\nsize: " << human_bytes(static_cast<double>(r.bytes_before)) << " -> "
            << human_bytes(static_cast<double>(r.bytes_after));
  if (r.bytes_after > 0)
    std::cout << " (" << std::fixed << std::setprecision(2) << static_cast<double>(r.bytes_before) / r.bytes_after
              << "x smaller)";
  std::cout << "\nsaved " << output << "\n";
}

Result<std::unique_ptr<quant::CalibrationSource>> open_data(const Args& a, const Model& model) {
  if (!a.calib.empty() && !a.dataset.empty()) return invalid_argument("give --calib or --dataset, not both");
  const std::string spec = a.calib.empty() ? a.dataset : a.calib;
  if (spec.empty())
    return invalid_argument("--mode static, --analyze and --mixed need calibration data: --calib PATH or --dataset "
                            "fashion-mnist");
  // A dataset defaults to a sample of kDefaultDatasetCalibration images (as users
  // of other quantizers expect); files and folders to all they hold.
  constexpr int kDefaultDatasetCalibration = 1000;
  const int count = a.calib_count >= 0 ? a.calib_count : !a.dataset.empty() ? kDefaultDatasetCalibration : 0;
  if (!a.dataset.empty() && !a.json)
    std::fprintf(stderr, "calibration: %s, %s\n", a.dataset.c_str(),
                 count > 0 ? (std::to_string(count) + " sampled training images (--calib-count N; 0 for all)").c_str()
                           : "all training images");
  return quant::open_calibration_source(spec, model, count);
}

// Top-1 of the float and the quantized model on the Fashion-MNIST test split.
Result<quant::ClassifierMetrics> labeled_accuracy(const Model& original, const Model& quantized, const Args& a) {
  SessionOptions so;
  so.threads = a.threads;
  EW_ASSIGN_OR_RETURN(auto f, Session::create(original, so));
  EW_ASSIGN_OR_RETURN(auto q, Session::create(quantized, so));
  EW_ASSIGN_OR_RETURN(LabeledDataset test, load_fashion_mnist("test", a.analysis.eval_count));
  return quant::evaluate_classifier(*f, q.get(), test, 100);
}

// `*progressed` tells whether a progress line was left on stderr.
quant::AccuracyGuardOptions guard_options(const Args& a, bool* progressed) {
  quant::AccuracyGuardOptions g;
  g.min_sqnr_db = a.min_sqnr;
  g.margin_db = a.guard_margin;
  g.samples = a.guard_samples;
  g.threads = a.threads;
  if (!a.json)
    g.progress = [progressed](const std::string& line) {
      *progressed = true;
      std::fprintf(stderr, "\r\033[Kguard: %s", line.c_str());
    };
  return g;
}

// Ranges (and the guard's measurement) from a handful of samples describe
// those samples, not the inputs the model will meet.
void warn_small_calibration(const quant::CalibrationSource* data, const Args& a) {
  constexpr int kSensibleMinimum = 32;
  if (!data || data->size() < 0 || data->size() >= kSensibleMinimum) return;
  if (a.mode != "static") {
    std::fprintf(stderr, "warning: the accuracy guard measures on %d sample(s); fewer than %d say little about the "
                 "inputs a model meets\n", data->size(), kSensibleMinimum);
    return;
  }
  std::fprintf(stderr,
               "warning: calibrating on %d sample(s); ranges from fewer than %d rarely cover the inputs a model meets "
               "(a few hundred is typical), and the accuracy guard measures on the same samples%s\n",
               data->size(), kSensibleMinimum,
               a.method == "minmax" ? "" : " (percentile/entropy fall back to min/max where too few values were seen)");
}

int run(const Args& a) {
  auto options = quantize_options(a);
  if (!options.is_ok()) return report_error(options.status());
  auto calibration = calibration_options(a, !a.json);
  if (!calibration.is_ok()) return report_error(calibration.status());
  auto model = load_onnx(a.model);
  if (!model.is_ok()) return report_error(model.status());
  std::unique_ptr<quant::CalibrationSource> data;
  const bool analysis = a.analysis.analyze || a.analysis.mixed;
  // Other modes need no calibration, but the accuracy guard measures on the data when given.
  if (options->mode == quant::QuantMode::kStatic || analysis || !a.calib.empty() || !a.dataset.empty()) {
    auto d = open_data(a, *model);
    if (!d.is_ok()) return report_error(d.status());
    data = std::move(d).value();
  }
  if (analysis) {
    AnalysisArgs aa = a.analysis;
    aa.json = a.json;
    aa.dataset = a.dataset;
    aa.threads = a.threads;
    return run_quantize_analysis(std::move(model).value(), *options, *calibration, *data, aa, a.output);
  }
  const Model original = deep_copy(*model);
  warn_small_calibration(data.get(), a);
  quant::QuantizeReport report;
  quant::AccuracyGuardReport guard_report;
  bool progressed = false;
  Status s = quant::quantize_guarded(*model, *options, data.get(), *calibration, guard_options(a, &progressed),
                                     &report, &guard_report);
  if (progressed) std::fprintf(stderr, "\n");
  if (!s.is_ok()) return report_error(s);
  s = save_onnx(*model, a.output);
  if (!s.is_ok()) return report_error(s);
  quant::ClassifierMetrics accuracy;
  if (a.dataset == "fashion-mnist") {  // labels at hand: measure what quantization cost
    auto m = labeled_accuracy(original, *model, a);
    if (!m.is_ok()) return report_error(m.status());
    accuracy = *m;
  }
  if (a.json) {
    nlohmann::json j = report_json(report, a.output);
    if (accuracy.compared)
      j["accuracy"] = {{"dataset", "fashion-mnist test"}, {"count", accuracy.count}, {"float_top1", accuracy.top1},
                       {"quantized_top1", accuracy.other_top1}, {"agreement", accuracy.comparison.agreement},
                       {"mean_kl", accuracy.comparison.mean_kl}};
    j["accuracy_guard"] = guard_json(guard_report, a.min_sqnr, a.guard_margin);
    if (options->mode == quant::QuantMode::kStatic || options->mode == quant::QuantMode::kDynamic)
      j["weight_bits"] = a.full_range ? 8 : 7;
    std::cout << j.dump(2) << "\n";
  } else {
    print_report(report, a.output, [&] { print_guard(guard_report, a.min_sqnr, a.guard_margin); });
    if (accuracy.compared)
      std::printf("top-1 on %lld Fashion-MNIST test images: float %.4f, quantized %.4f (%+.2f points), agreement %.4f\n",
                  static_cast<long long>(accuracy.count), accuracy.top1, accuracy.other_top1,
                  100.0 * (accuracy.other_top1 - accuracy.top1), accuracy.comparison.agreement);
  }
  return 0;
}

}  // namespace

void add_quantize_command(CLI::App& app) {
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("quantize",
                                 "Quantize a model (static QDQ int8, dynamic int8, fp16, int4) and save it as ONNX");
  cmd->add_option("model", a->model, "Float ONNX model")->required();
  cmd->add_option("-o,--output", a->output, "Where to write the quantized .onnx")->required();
  cmd->add_option("--mode", a->mode, "static (default) | dynamic | fp16 | int4");
  cmd->add_option("--calib", a->calib, "Calibration inputs: .npy, .npz, or a folder of test_data_set_N folders");
  cmd->add_option("--dataset", a->dataset, "Named calibration dataset: fashion-mnist (training split)");
  cmd->add_option("--calib-count", a->calib_count, "Calibration samples: at most N (0: all); default 1000 sampled from --dataset, all of --calib");
  cmd->add_option("--method", a->method, "Range method: minmax | percentile (default) | entropy");
  cmd->add_option("--percentile", a->percentile,
                  "Share of values kept in range for --method percentile (default 99.99)");
  cmd->add_option("--activation-type", a->activation_type, "s8 (default, S8S8) or u8 (U8S8)");
  add_bool_flag(cmd, "--per-channel", a->per_channel, "Per-output-channel weight scales");
  cmd->add_flag("--symmetric-activations", a->symmetric_activations, "Symmetric activation ranges (zero point 0/128)");
  cmd->add_flag("--full-range", a->full_range,
                "Full 8-bit weights instead of the default 7-bit ones: one more bit of weight precision for targets "
                "with VNNI or Arm. Without VNNI, x86 int8 kernels (ONNX Runtime's, oneDNN's) add pairs of u8 x s8 "
                "products in saturating 16-bit lanes, which full-range weights overflow; Edgewise's own are exact");
  cmd->add_option("--exclude", a->exclude, "Comma-separated node names or op types left in float");
  cmd->add_flag("--keep-first-last", a->keep_first_last, "Keep the first and last Conv/Gemm/MatMul in float");
  cmd->add_flag("--equalize", a->equalize, "Cross-layer equalization before quantizing");
  cmd->add_flag("--equalize-relu6-as-relu", a->relu6_as_relu,
                "With --equalize: replace ReLU6 by Relu so equalization reaches through it (Nagel et al.; changes the "
                "float model)");
  cmd->add_flag("--bias-correction", a->bias_correction, "Fold the mean weight-quantization error into biases");
  cmd->add_option("--smooth-alpha", a->smooth_alpha, "SmoothQuant migration strength for MatMul inputs (0: off)");
  cmd->add_option("--block-size", a->block_size, "int4: block size along K, 32 (default), 64 or 128");
  cmd->add_option("--threads", a->threads, "Threads for calibration runs");
  cmd->add_option("--min-sqnr", a->min_sqnr,
                  "Accuracy guard: lowest output SQNR in dB against the float model on the calibration samples "
                  "(default 20); below it the most sensitive layers go back to float until it holds. 0: off");
  cmd->add_option("--guard-margin", a->guard_margin,
                  "Accuracy guard: dB above --min-sqnr held on the measured samples, for unseen inputs (default 1)");
  cmd->add_option("--guard-samples", a->guard_samples, "Accuracy guard: calibration samples measured (default 32)");
  cmd->add_flag("--analyze", a->analysis.analyze,
                "Measure each layer's sensitivity (one layer quantized at a time) and the per-layer SQNR of the fully "
                "quantized model; writes no model");
  cmd->add_flag("--mixed", a->analysis.mixed,
                "Choose bits per layer from {4, 8, float} under --size-budget or --accuracy-budget (rule and greedy, "
                "both measured); saves the better one");
  cmd->add_option("--size-budget", a->analysis.size_budget, "--mixed: largest model size in bytes");
  cmd->add_option("--accuracy-budget", a->analysis.accuracy_budget,
                  "--mixed: most top-1 points to lose against float (accuracy with --dataset fashion-mnist, else "
                  "agreement with the float model)");
  cmd->add_option("--alpha", a->analysis.alpha, "--mixed rule: bits per doubling of sensitivity (default 2)");
  cmd->add_option("--analyze-samples", a->analysis.samples,
                  "--analyze/--mixed: calibration samples per measurement (default 64)");
  cmd->add_option("--eval-count", a->analysis.eval_count,
                  "With --dataset fashion-mnist: test images for the accuracy report and --mixed (default 2000)");
  cmd->add_flag("--json", a->json, "Print the report as JSON");
  cmd->footer(
      "Example:\n"
      "  edgewise quantize model.onnx -o model.s8.onnx --mode static --dataset fashion-mnist --calib-count 512\n"
      "  edgewise quantize model.onnx -o unused.onnx --analyze --dataset fashion-mnist --calib-count 256\n"
      "  edgewise quantize bert.onnx -o bert.mixed.onnx --mode dynamic --mixed --size-budget 900000 --calib DIR");
  cmd->callback([a] { exit_code() = run(*a); });
}

}  // namespace ew::cli
