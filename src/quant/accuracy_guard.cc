#include "quant/accuracy_guard.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

#include "ir/onnx_checker.h"
#include "quant/dynamic_quantizer.h"
#include "quant/fp16_converter.h"
#include "quant/int4_quantizer.h"
#include "quant/preprocess.h"
#include "quant/qdq_quantizer.h"
#include "quant/quantize_model.h"
#include "quant/random_source.h"
#include "passes/pass_manager.h"
#include "runtime/session.h"

namespace ew::quant {
namespace {

SessionOptions reference_session(int threads) {
  SessionOptions o;
  o.threads = threads;
  return o;
}

// Every node gets a name (its first output's, made unique), so that layers
// can be reported and kept float by name.
void name_nodes(Graph& g, std::set<std::string>& taken) {
  for (Node& n : g.nodes) {
    if (!n.name.empty()) taken.insert(n.name);
    for (auto& [key, a] : n.attributes) {
      if (a.g) name_nodes(*a.g, taken);
      for (auto& body : a.graphs)
        if (body) name_nodes(*body, taken);
    }
  }
  for (Node& n : g.nodes) {
    if (!n.name.empty()) continue;
    std::string base = n.outputs.empty() || n.outputs[0].empty() ? n.op_type : n.outputs[0];
    std::string name = base;
    for (int k = 1; taken.count(name); ++k) name = base + "_" + std::to_string(k);
    taken.insert(name);
    n.name = name;
  }
}

// Op counts over the graph and every body in it.
void count_ops(const Graph& g, std::map<std::string, int>& ops) {
  for (const Node& n : g.nodes) {
    ++ops[n.domain + "::" + n.op_type];
    for (const auto& [key, a] : n.attributes) {
      if (a.g) count_ops(*a.g, ops);
      for (const auto& body : a.graphs)
        if (body) count_ops(*body, ops);
    }
  }
}

std::map<std::string, int> all_ops(const Graph& g) {
  std::map<std::string, int> ops;
  count_ops(g, ops);
  return ops;
}

bool counts_as_quantized(const LayerQuantReport& l, QuantMode mode) {
  return mode == QuantMode::kFp16 ? l.bits < 32 : l.bits < 16;
}

int quantized_layers(const QuantizeReport& r) {
  return static_cast<int>(std::count_if(r.layers.begin(), r.layers.end(),
                                        [&](const LayerQuantReport& l) { return counts_as_quantized(l, r.mode); }));
}

// Conv/Gemm/MatMul nodes inside If/Loop/Scan bodies, which a quantizer may not reach.
int weighted_nodes_in_bodies(const Graph& g, bool inside) {
  int count = 0;
  for (const Node& n : g.nodes) {
    if (inside && (n.op_type == "Conv" || n.op_type == "Gemm" || n.op_type == "MatMul")) ++count;
    for (const auto& [key, a] : n.attributes) {
      if (a.g) count += weighted_nodes_in_bodies(*a.g, true);
      for (const auto& body : a.graphs)
        if (body) count += weighted_nodes_in_bodies(*body, true);
    }
  }
  return count;
}

const char* layers_of_mode(QuantMode mode) {
  switch (mode) {
    case QuantMode::kStatic:
      return "Conv, Gemm or MatMul with a constant float weight, or Add/Mul/Concat/pooling between them";
    case QuantMode::kDynamic: return "MatMul or Gemm with a constant float weight (try --mode static for Conv)";
    case QuantMode::kInt4: return "MatMul or Gemm with a constant float weight (try --mode static for Conv)";
    case QuantMode::kFp16: return "float32 weights of at least a few elements";
  }
  return "";
}

// Why nothing was quantized, from the quantizer's per-layer reasons.
std::string nothing_quantized_message(const Model& model, const QuantizeReport& r, QuantMode mode) {
  std::string msg = "nothing was quantized: ";
  if (r.layers.empty()) {
    msg += std::string("the model has no layer the ") + quant_mode_name(mode) + " mode quantizes (" +
           layers_of_mode(mode) + ")";
  } else {
    std::map<std::string, int> reasons;
    for (const auto& l : r.layers) ++reasons[l.why.empty() ? "kept float" : l.why];
    msg += std::to_string(r.layers.size()) + " layer(s) considered, all kept float (";
    bool first = true;
    for (const auto& [why, n] : reasons) msg += (first ? "" : "; ") + std::to_string(n) + "x " + why, first = false;
    msg += ")";
  }
  const int hidden = weighted_nodes_in_bodies(model.graph, false);
  if (hidden > 0)
    msg += "; " + std::to_string(hidden) + " Conv/Gemm/MatMul node(s) sit inside If/Loop/Scan bodies";
  return msg + ". The model was not written.";
}

// One quantization of the prepared float model with these options.
Status quantize_prepared(Model& m, const QuantizeOptions& o, const RangeMap& ranges, QuantizeReport* r) {
  switch (o.mode) {
    case QuantMode::kStatic: return quantize_static(m, ranges, o, r);
    case QuantMode::kDynamic: return quantize_dynamic(m, o, r);
    case QuantMode::kInt4: return quantize_int4(m, o, r);
    case QuantMode::kFp16: {
      Fp16Report fr;
      return convert_weights_to_fp16(m, o.exclude, &fr).status();
    }
  }
  return invalid_argument("unknown quantization mode");
}

// Keeps `node` float by name alone (--exclude also matches op types, and a
// node may well be named "Conv"); fp16 conversion reads only the exclude list.
void keep_float(QuantizeOptions& o, const std::string& node) {
  o.layer_bits[node] = 32;
  if (o.mode == QuantMode::kFp16) o.exclude.push_back(node);
}

double worst_sqnr(const std::vector<OutputComparison>& outs, int* which) {
  double worst = std::numeric_limits<double>::infinity();
  *which = -1;
  for (size_t i = 0; i < outs.size(); ++i) {
    if (outs[i].count == 0) continue;
    const double s = std::isnan(outs[i].sqnr_db) ? -std::numeric_limits<double>::infinity() : outs[i].sqnr_db;
    if (*which < 0 || s < worst) worst = s, *which = static_cast<int>(i);
  }
  return worst;
}

std::string db(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f dB", v);
  return buf;
}

// The search for the fewest layers to keep float, most sensitive first.
class FallbackSearch {
 public:
  FallbackSearch(const Model& reference, const Model& prepared, const QuantizeOptions& base, const RangeMap& ranges,
                 CalibrationSource& data, const AccuracyGuardOptions& guard)
      : reference_(reference), prepared_(prepared), base_(base), ranges_(ranges), data_(data), guard_(guard) {}

  // Each candidate measured alone (only it quantized), most sensitive first.
  Status rank(const std::vector<LayerQuantReport>& candidates) {
    const int samples = std::max(1, std::min(guard_.samples, 8));
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (guard_.progress)
        guard_.progress("measuring layer " + std::to_string(i + 1) + "/" + std::to_string(candidates.size()) +
                        " alone: " + candidates[i].node);
      QuantizeOptions o = base_;
      for (const auto& other : candidates)
        if (other.node != candidates[i].node) keep_float(o, other.node);
      EW_ASSIGN_OR_RETURN(double s, measure(o, samples, nullptr));
      ranked_.push_back({candidates[i].node, candidates[i].op_type, s});
    }
    std::stable_sort(ranked_.begin(), ranked_.end(),
                     [](const KeptFloat& a, const KeptFloat& b) { return a.alone_sqnr_db < b.alone_sqnr_db; });
    return Status::ok();
  }

  // Smallest k such that keeping the k most sensitive layers float meets the
  // floor (doubling, then bisection); -1 when even all of them do not.
  Result<int> smallest_k() {
    const int n = static_cast<int>(ranked_.size()) - 1;  // keeping all n + 1 float quantizes nothing
    int lo = 0, hi = -1;
    for (int k = 1; n > 0; k = std::min(2 * k, n)) {
      EW_ASSIGN_OR_RETURN(bool ok, holds(k));
      if (ok) {
        hi = k;
        break;
      }
      lo = k;
      if (k == n) break;
    }
    if (hi < 0) return -1;
    while (hi - lo > 1) {
      const int mid = (lo + hi) / 2;
      EW_ASSIGN_OR_RETURN(bool ok, holds(mid));
      (ok ? hi : lo) = mid;
    }
    return hi;
  }

  QuantizeOptions options_keeping(int k) const {
    QuantizeOptions o = base_;
    for (int i = 0; i < k; ++i) keep_float(o, ranked_[static_cast<size_t>(i)].node);
    return o;
  }
  const std::vector<KeptFloat>& ranked() const { return ranked_; }
  int attempts() const { return attempts_; }

 private:
  Result<bool> holds(int k) {
    if (guard_.progress) guard_.progress("trying with the " + std::to_string(k) + " most sensitive layer(s) float");
    QuantizeReport r;
    EW_ASSIGN_OR_RETURN(double s, measure(options_keeping(k), guard_.samples, &r));
    return s >= guard_target_db(guard_) && changed_;
  }

  Result<double> measure(const QuantizeOptions& o, int samples, QuantizeReport* r) {
    Model q = deep_copy(prepared_);
    QuantizeReport local;
    local.mode = o.mode;
    EW_RETURN_IF_ERROR(quantize_prepared(q, o, ranges_, r ? r : &local));
    changed_ = all_ops(q.graph) != float_ops_;  // some layer really was rewritten
    ++attempts_;
    EW_ASSIGN_OR_RETURN(auto outs, compare_all_outputs(reference_, q, data_, samples, guard_.threads));
    int which = 0;
    return worst_sqnr(outs, &which);
  }

  const Model& reference_;
  const Model& prepared_;
  const QuantizeOptions& base_;
  const RangeMap& ranges_;
  CalibrationSource& data_;
  const AccuracyGuardOptions& guard_;
  const std::map<std::string, int> float_ops_ = all_ops(prepared_.graph);
  std::vector<KeptFloat> ranked_;
  bool changed_ = false;
  int attempts_ = 0;
};

// The float model as the quantizers see it, and (static) the range of every float tensor.
Status prepare(const Model& original, const QuantizeOptions& options, CalibrationSource* data,
               const CalibrationOptions& calibration, Model& prepared, RangeMap& ranges) {
  prepared = deep_copy(original);
  if (options.mode == QuantMode::kFp16) return Status::ok();
  EW_RETURN_IF_ERROR(preprocess(prepared));
  if (options.mode != QuantMode::kStatic) return Status::ok();
  QuantizeReport ignored;
  EW_RETURN_IF_ERROR(adjust_float_model(prepared, options, *data, ignored));
  std::vector<std::string> tensors = float_tensors(prepared);
  EW_ASSIGN_OR_RETURN(std::vector<std::string> in_bodies, tensors_to_calibrate(prepared, options));
  std::set<std::string> listed(tensors.begin(), tensors.end());
  for (const std::string& t : in_bodies)
    if (listed.insert(t).second) tensors.push_back(t);
  EW_RETURN_IF_ERROR(data->rewind());
  CalibrationOptions quiet = calibration;
  quiet.progress = nullptr;
  EW_ASSIGN_OR_RETURN(ranges, calibrate(prepared, *data, tensors, quiet));
  return Status::ok();
}

struct Measured {
  double sqnr = 0;
  std::string output;
  OutputComparison comparison;
};

Result<Measured> measure_model(const Model& reference, const Model& q, CalibrationSource& data, int samples,
                               int threads) {
  EW_ASSIGN_OR_RETURN(auto outs, compare_all_outputs(reference, q, data, samples, threads));
  Measured m;
  int which = -1;
  m.sqnr = worst_sqnr(outs, &which);
  if (which < 0) return invalid_argument("the accuracy guard needs a float32 model output to compare; give --min-sqnr 0");
  m.output = reference.graph.outputs[static_cast<size_t>(which)].name;
  m.comparison = outs[static_cast<size_t>(which)];
  return m;
}

// Falls back to float for the most sensitive layers of the first quantization `first`.
Status fall_back(const Model& original, Model& model, const QuantizeOptions& options, CalibrationSource* data,
                 CalibrationSource& measure_on, const CalibrationOptions& calibration,
                 const AccuracyGuardOptions& guard, QuantizeReport& report, AccuracyGuardReport& gr) {
  Model prepared;
  RangeMap ranges;
  if (guard.progress) guard.progress("below " + db(guard_target_db(guard)) + ": measuring each layer alone");
  EW_RETURN_IF_ERROR(prepare(original, options, data, calibration, prepared, ranges));
  std::vector<LayerQuantReport> candidates;
  for (const auto& l : report.layers)
    if (counts_as_quantized(l, options.mode)) candidates.push_back(l);
  FallbackSearch search(original, prepared, options, ranges, measure_on, guard);
  EW_RETURN_IF_ERROR(search.rank(candidates));
  EW_ASSIGN_OR_RETURN(int k, search.smallest_k());
  gr.attempts = 1 + search.attempts();
  if (k < 0) {
    std::string alone;
    for (size_t i = 0; i < search.ranked().size() && i < 8; ++i)
      alone += (i ? ", " : "") + search.ranked()[i].node + " " + db(search.ranked()[i].alone_sqnr_db);
    return invalid_argument("no layer can be quantized within --min-sqnr " + db(guard.min_sqnr_db) + " (" +
                            db(guard_target_db(guard)) + " on the measured samples, with the margin): fully " +
                            "quantized the output SQNR is " + db(gr.first_sqnr_db) + ", and no set of layers kept " +
                            "float reaches the floor with anything still quantized (each layer quantized alone: " +
                            alone + (search.ranked().size() > 8 ? ", ..." : "") + "). The model was not written.");
  }
  gr.kept_float.assign(search.ranked().begin(), search.ranked().begin() + k);
  QuantizeReport final_report = report;
  final_report.layers.clear();
  Model q = deep_copy(prepared);
  EW_RETURN_IF_ERROR(quantize_prepared(q, search.options_keeping(k), ranges, &final_report));
  for (auto& l : final_report.layers)
    for (const auto& kf : gr.kept_float)
      if (l.node == kf.node) l.why = "kept float by the accuracy guard: alone it gives " + db(kf.alone_sqnr_db);
  final_report.ops_after = op_histogram(q.graph);
  EW_ASSIGN_OR_RETURN(final_report.bytes_after, serialized_bytes(q));
  report = final_report;
  model = std::move(q);
  return Status::ok();
}

}  // namespace

Result<std::vector<OutputComparison>> compare_all_outputs(const Model& reference, const Model& candidate,
                                                          CalibrationSource& data, int samples, int threads) {
  EW_ASSIGN_OR_RETURN(auto ref, Session::create(reference, reference_session(threads)));
  EW_ASSIGN_OR_RETURN(auto cand, Session::create(candidate, reference_session(threads)));
  std::vector<OutputComparer> comparers(ref->outputs().size());
  EW_RETURN_IF_ERROR(data.rewind());
  std::map<std::string, Tensor> inputs;
  for (int done = 0; samples <= 0 || done < samples; ++done) {
    EW_ASSIGN_OR_RETURN(bool more, data.next(inputs));
    if (!more) break;
    EW_ASSIGN_OR_RETURN(auto a, ref->run(inputs));
    EW_ASSIGN_OR_RETURN(auto b, cand->run(inputs));
    if (a.size() != b.size() || a.size() != comparers.size())
      return invalid_argument("the quantized model has " + std::to_string(b.size()) + " outputs, the float model " +
                              std::to_string(a.size()));
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].dtype() == DType::kFloat32 && a[i].numel() > 0) EW_RETURN_IF_ERROR(comparers[i].add(a[i], b[i]));
  }
  std::vector<OutputComparison> out;
  for (const auto& c : comparers) out.push_back(c.result());
  return out;
}

Status quantize_guarded(Model& model, const QuantizeOptions& options, CalibrationSource* data,
                        const CalibrationOptions& calibration, const AccuracyGuardOptions& guard,
                        QuantizeReport* report, AccuracyGuardReport* guard_report) {
  QuantizeReport local_report;
  AccuracyGuardReport local_guard;
  QuantizeReport& r = report ? *report : local_report;
  AccuracyGuardReport& gr = guard_report ? *guard_report : local_guard;
  std::set<std::string> taken;
  Model original = deep_copy(model);
  EW_RETURN_IF_ERROR(upgrade_for_quantization(original, options, &r));
  name_nodes(original.graph, taken);
  Model q = deep_copy(original);
  EW_RETURN_IF_ERROR(quantize_model(q, options, data, calibration, &r));
  if (quantized_layers(r) == 0) return invalid_argument(nothing_quantized_message(original, r, options.mode));
  if (guard.min_sqnr_db > 0) {
    std::unique_ptr<CalibrationSource> random;
    if (!data) {
      EW_ASSIGN_OR_RETURN(random, make_random_source(original, guard.random_samples));
      gr.random_inputs = true;
    }
    CalibrationSource& measure_on = data ? *data : *random;
    const int samples = data ? guard.samples : guard.random_samples;
    EW_ASSIGN_OR_RETURN(Measured first, measure_model(original, q, measure_on, samples, guard.threads));
    gr.measured = true;
    gr.samples = measure_on.size() >= 0 ? std::min(samples, measure_on.size()) : samples;
    gr.first_sqnr_db = first.sqnr;
    Measured final_m = first;
    gr.attempts = 1;
    if (!(first.sqnr >= guard_target_db(guard))) {
      EW_RETURN_IF_ERROR(fall_back(original, q, options, data, measure_on, calibration, guard, r, gr));
      if (r.onnx_checked) EW_RETURN_IF_ERROR(check_onnx_model(q).with_context("the guarded model would be invalid: "));
      EW_ASSIGN_OR_RETURN(final_m, measure_model(original, q, measure_on, samples, guard.threads));
    }
    gr.final_sqnr_db = final_m.sqnr;
    gr.worst_output = final_m.output;
    gr.final_output = final_m.comparison;
  }
  gr.layers_quantized = quantized_layers(r);
  model = std::move(q);
  return Status::ok();
}

}  // namespace ew::quant
