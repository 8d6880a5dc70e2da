#include "quantize_analysis.h"

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "ir/onnx_export.h"
#include "quant/mixed_precision.h"
#include "quant/preprocess.h"
#include "quant/qdq_quantizer.h"

namespace ew::cli {
namespace {

nlohmann::json comparison_json(const quant::OutputComparison& c) {
  return {{"agreement", c.agreement}, {"mean_kl", c.mean_kl}, {"sqnr_db", c.sqnr_db}, {"count", c.count}};
}

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

void print_sensitivity(const std::vector<quant::LayerSensitivity>& layers) {
  std::cout << "one layer quantized at a time, most sensitive first\n"
            << std::left << std::setw(40) << "layer" << std::setw(10) << "op" << std::setw(6) << "bits" << std::setw(12)
            << "SQNR dB" << std::setw(12) << "mean KL" << "agreement\n";
  for (const auto& l : layers)
    std::cout << std::left << std::setw(40) << l.node.substr(0, 39) << std::setw(10) << l.op_type << std::setw(6)
              << l.bits << std::setw(12) << fixed(l.output.sqnr_db, 1) << std::setw(12) << std::setprecision(3)
              << l.output.mean_kl << fixed(l.output.agreement, 4) << "\n";
}

nlohmann::json sensitivity_json(const std::vector<quant::LayerSensitivity>& layers) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& l : layers)
    j.push_back({{"node", l.node}, {"op_type", l.op_type}, {"bits", l.bits}, {"params", l.params},
                 {"output", comparison_json(l.output)}});
  return j;
}

Result<quant::RangeMap> ranges_for(const Model& model, const quant::QuantizeOptions& options,
                                   const quant::CalibrationOptions& calibration, quant::CalibrationSource& data) {
  if (options.mode != quant::QuantMode::kStatic) return quant::RangeMap{};
  const std::vector<std::string> tensors = quant::float_tensors(model);
  EW_RETURN_IF_ERROR(data.rewind());
  return quant::calibrate(model, data, tensors, calibration);
}

void layer_progress(int done, int total) {
  std::fprintf(stderr, "\rmeasuring layer %d/%d", done, total);
  if (done == total) std::fprintf(stderr, "\n");
}

int analyze(const Model& model, const quant::QuantizeOptions& options, const quant::RangeMap& ranges,
            quant::CalibrationSource& data, const AnalysisArgs& a) {
  quant::SensitivityOptions so;
  so.samples = a.samples;
  so.threads = a.threads;
  if (!a.json) so.progress = layer_progress;
  auto r = quant::analyze_sensitivity(model, options, ranges, data, so);
  if (!r.is_ok()) return report_error(r.status());
  if (a.json) {
    nlohmann::json j{{"samples", r->samples}, {"layers", sensitivity_json(r->layers)},
                     {"full_model", comparison_json(r->full_output)}};
    for (const auto& e : r->full)
      j["full_model_layers"].push_back({{"node", e.node}, {"op_type", e.op_type}, {"weight_sqnr_db", e.weight_sqnr_db},
                                        {"activation_sqnr_db", e.activation_sqnr_db}});
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  print_sensitivity(r->layers);
  std::cout << "\nfully quantized model, per layer (SQNR against float, dB)\n"
            << std::left << std::setw(40) << "layer" << std::setw(10) << "op" << std::setw(12) << "weight" << "activation\n";
  for (const auto& e : r->full)
    std::cout << std::left << std::setw(40) << e.node.substr(0, 39) << std::setw(10) << e.op_type << std::setw(12)
              << fixed(e.weight_sqnr_db, 1) << fixed(e.activation_sqnr_db, 1) << "\n";
  std::cout << "\nfully quantized output: SQNR " << fixed(r->full_output.sqnr_db, 1) << " dB, mean KL "
            << r->full_output.mean_kl << ", top-1 agreement " << fixed(r->full_output.agreement, 4) << " over "
            << r->samples << " samples\n";
  return 0;
}

nlohmann::json choice_json(const quant::MixedChoice& c) {
  return {{"method", c.method}, {"bits", c.bits}, {"bytes", c.bytes}, {"top1", c.top1}, {"loss_pp", c.loss_pp},
          {"output", comparison_json(c.output)}, {"meets_budget", c.meets_budget}, {"note", c.note}};
}

void print_mixed(const quant::MixedPrecisionReport& r) {
  const char* what = r.labeled ? "top-1" : "agreement";
  std::cout << "\nfloat: " << human_bytes(static_cast<double>(r.float_bytes)) << ", " << what << " "
            << fixed(r.float_top1, 4) << "\n"
            << std::left << std::setw(8) << "method" << std::setw(12) << "size" << std::setw(11) << what
            << std::setw(11) << "loss pp" << std::setw(12) << "mean KL" << std::setw(8) << "budget" << "note\n";
  for (const quant::MixedChoice* c : {&r.rule, &r.greedy})
    std::cout << std::left << std::setw(8) << c->method << std::setw(12) << human_bytes(static_cast<double>(c->bytes))
              << std::setw(11) << fixed(c->top1, 4) << std::setw(11) << fixed(c->loss_pp, 2) << std::setw(12)
              << std::setprecision(3) << c->output.mean_kl << std::setw(8) << (c->meets_budget ? "met" : "MISSED")
              << c->note << "\n";
  std::cout << "\n" << std::left << std::setw(40) << "layer" << std::setw(12) << "KL at 8 bit" << std::setw(7) << "rule"
            << "greedy\n";
  for (const auto& [layer, bits] : r.greedy.bits) {
    double kl = 0;
    for (const auto& l : r.sensitivity)
      if (l.node == layer && l.bits == 8) kl = l.output.mean_kl;
    auto b = [](int v) { return v >= 16 ? std::string("float") : std::to_string(v); };
    std::cout << std::left << std::setw(40) << layer.substr(0, 39) << std::setw(12) << std::setprecision(3) << kl
              << std::setw(7) << b(r.rule.bits.at(layer)) << b(bits) << "\n";
  }
}

// The choice to save: one meeting the budget, the smaller loss first, then the smaller file.
const quant::MixedChoice& better(const quant::MixedPrecisionReport& r) {
  if (r.rule.meets_budget != r.greedy.meets_budget) return r.rule.meets_budget ? r.rule : r.greedy;
  if (r.rule.loss_pp != r.greedy.loss_pp) return r.rule.loss_pp < r.greedy.loss_pp ? r.rule : r.greedy;
  return r.rule.bytes <= r.greedy.bytes ? r.rule : r.greedy;
}

int mixed(const Model& model, const quant::QuantizeOptions& options, const quant::RangeMap& ranges,
          quant::CalibrationSource& data, const AnalysisArgs& a, const std::string& output) {
  quant::MixedPrecisionOptions mo;
  mo.size_budget_bytes = a.size_budget;
  mo.accuracy_budget_pp = a.accuracy_budget;
  mo.alpha = a.alpha;
  mo.measure.samples = a.samples;
  mo.measure.threads = a.threads;
  if (!a.json) mo.measure.progress = layer_progress;
  std::unique_ptr<LabeledDataset> labeled;
  if (a.dataset == "fashion-mnist") {
    auto d = load_fashion_mnist("test", a.eval_count);
    if (!d.is_ok()) return report_error(d.status());
    labeled = std::make_unique<LabeledDataset>(std::move(d).value());
  }
  auto r = quant::choose_mixed_precision(model, options, ranges, data, labeled.get(), mo);
  if (!r.is_ok()) return report_error(r.status());
  const quant::MixedChoice& best = better(*r);
  quant::QuantizeOptions o = options;
  for (const auto& [layer, bits] : best.bits) o.layer_bits[layer] = bits;
  auto q = quant::quantize_copy(model, o, ranges);
  if (!q.is_ok()) return report_error(q.status());
  Status s = save_onnx(*q, output);
  if (!s.is_ok()) return report_error(s);
  if (a.json) {
    nlohmann::json j{{"labeled", r->labeled}, {"float_top1", r->float_top1}, {"float_bytes", r->float_bytes},
                     {"rule", choice_json(r->rule)}, {"greedy", choice_json(r->greedy)}, {"saved", best.method},
                     {"output", output}, {"sensitivity", sensitivity_json(r->sensitivity)}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  print_sensitivity(r->sensitivity);
  print_mixed(*r);
  std::cout << "\nsaved the " << best.method << " choice to " << output << "\n";
  return 0;
}

}  // namespace

int run_quantize_analysis(Model model, const quant::QuantizeOptions& options,
                          const quant::CalibrationOptions& calibration, quant::CalibrationSource& data,
                          const AnalysisArgs& args, const std::string& output) {
  Status s = quant::preprocess(model);
  if (!s.is_ok()) return report_error(s);
  auto ranges = ranges_for(model, options, calibration, data);
  if (!ranges.is_ok()) return report_error(ranges.status());
  if (args.mixed) return mixed(model, options, *ranges, data, args, output);
  return analyze(model, options, *ranges, data, args);
}

}  // namespace ew::cli
