#include "device/latency_predictor.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "device/host_profile.h"
#include "device/nnls.h"

namespace ew {
namespace {

bool gathers(const KernelStep& s, const NodeFeatures& n) {
  return (s.backend == "int8_gemm_conv" || s.backend == "reference") && (n.op_class == "Conv.3x3" || n.op_class == "Conv.kxk");
}

// The kernel type a node's coefficients belong to. An im2col backend runs 3x3 and
// other kxk convolutions through one code path (gather, then GEMM; the im2col term
// carries the difference), so they share one type: "Conv.kxk".
std::string node_class(const KernelStep& s, const NodeFeatures& n) {
  const std::string cls = gathers(s, n) ? "Conv.kxk" : n.op_class;
  return s.backend + "|" + cls + "/" + precision_name(n.precision);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

// A model whose weights exceed this no longer keeps them in the last-level
// cache from one run to the next (L3 of edge and desktop CPUs: 2-32 MiB;
// half of this host's 32 MiB), so its weights stream from DRAM every run.
constexpr double kCacheResidentWeightBytes = 16.0 * 1024 * 1024;

// Elements an im2col-based convolution gathers: output pixels x (k*k*in_channels)
// = MACs / out_channels. Out channels are not recorded, so they are estimated from
// the weights: param_bytes ~ out_channels x (k*k*in_channels x element size + 4-byte bias).
// Only kxk classes (1x1 and depthwise convolutions need no gathering) on the backends
// that gather (src/ops/nn/conv.cc, src/ops/quant/fast/qlinear_conv_gemm.cc; XNNPACK uses an
// indirection buffer, winograd_f4x3 transforms tiles); 0 otherwise.
double im2col_elems(const KernelStep& s, const NodeFeatures& n) {
  if (!gathers(s, n)) return 0;
  if (n.macs <= 0 || n.out_elems <= 0 || n.param_bytes <= 0) return 0;
  const double depth = n.macs / n.out_elems;  // k*k*in_channels
  const double element = n.precision == Precision::kInt8 ? 1.0 : 4.0;
  const double out_channels = std::max(1.0, n.param_bytes / (depth * element + 4));
  return n.macs / out_channels;
}

double node_roofline_seconds(const LatencyModel& m, const NodeFeatures& n) {
  auto peak = m.peak_ops.find(n.precision);
  double compute = peak != m.peak_ops.end() && peak->second > 0 ? n.flops / peak->second : 0;
  double memory = m.bandwidth > 0 ? n.bytes / m.bandwidth : 0;
  return std::max(compute, memory);
}

double step_roofline_seconds(const LatencyModel& m, const KernelStep& s) {
  double t = 0;
  for (const NodeFeatures& n : s.nodes) t += node_roofline_seconds(m, n);
  return t;
}

bool seen(const LatencyModel& m, const std::string& term) {
  auto it = m.support.find(term);
  return it != m.support.end() && it->second > 0;
}

double coefficient(const LatencyModel& m, const std::string& term) {
  auto it = m.coefficients.find(term);
  return it == m.coefficients.end() ? 0.0 : it->second;
}

}  // namespace

std::map<std::string, double> step_terms(const KernelStep& s) {
  std::map<std::string, double> t;
  t["step|" + s.backend] += 1;
  if (s.backend == "view") return t;
  t["step_bytes|" + s.backend] += s.bytes;
  if (s.layout_bytes > 0) t["layout_bytes|" + s.backend] += s.layout_bytes;
  for (const NodeFeatures& n : s.nodes) {
    const std::string k = node_class(s, n);
    t["node|" + k] += 1;
    if (n.macs > 0) t["macs|" + k] += n.macs;
    if (n.bytes > n.param_bytes) t["bytes|" + k] += n.bytes - n.param_bytes;
    if (n.param_bytes > 0) t["wbytes|" + k] += n.param_bytes;
    if (n.param_bytes > 0 && s.model_weight_bytes > kCacheResidentWeightBytes) t["cold_wbytes|" + k] += n.param_bytes;
    if (n.out_elems > 0) t["elems|" + k] += n.out_elems;
    if (double g = im2col_elems(s, n); g > 0) t["im2col|" + k] += g;
  }
  return t;
}

namespace {

// NNLS over the rows' terms, weighted and column-scaled; fills m's coefficients and support.
void fit_terms(const std::vector<std::map<std::string, double>>& terms, const std::vector<double>& measured,
               const std::vector<double>& row_weight, const LatencyFitOptions& o, LatencyModel& m) {
  std::map<std::string, size_t> column;
  std::map<std::string, int> support;
  for (const auto& t : terms)
    for (const auto& [name, v] : t)
      if (v != 0 && column.emplace(name, column.size()).second) support[name] = 0;
  const size_t n = column.size();
  std::vector<std::vector<double>> rows(terms.size(), std::vector<double>(n, 0.0));
  std::vector<double> b(terms.size());
  for (size_t r = 0; r < terms.size(); ++r) {
    const double w = row_weight[r] * (o.relative ? 1.0 / std::max(measured[r], o.floor_ms * 1e-3) : 1e3);
    for (const auto& [name, v] : terms[r]) {
      if (v == 0) continue;
      rows[r][column[name]] = v * w;
      support[name]++;
    }
    b[r] = measured[r] * w;
  }
  std::vector<double> scale(n, 0.0);
  for (const auto& row : rows)
    for (size_t i = 0; i < n; ++i) scale[i] = std::max(scale[i], std::fabs(row[i]));
  for (auto& row : rows)
    for (size_t i = 0; i < n; ++i) row[i] = scale[i] > 0 ? row[i] / scale[i] : 0.0;
  for (const auto& [name, i] : column) {
    const bool constant = name.rfind("node|", 0) == 0 || name.rfind("step|", 0) == 0;
    const double ridge = constant ? o.const_ridge : o.work_ridge;
    if (ridge <= 0) continue;
    rows.emplace_back(n, 0.0);
    rows.back()[i] = std::sqrt(ridge);
    b.push_back(0.0);
  }
  std::vector<double> x = solve_nnls(rows, b);
  for (const auto& [name, i] : column) {
    m.coefficients[name] = scale[i] > 0 ? x[i] / scale[i] : 0.0;
    m.support[name] = support[name];
  }
}

}  // namespace

Result<LatencyModel> fit_latency_model(const std::vector<ModelSamples>& samples, const DeviceProfile& host,
                                       const LatencyFitOptions& o) {
  LatencyModel m;
  m.host_fingerprint = host_fingerprint();
  for (Precision p : all_precisions()) m.peak_ops[p] = host.peak_ops(p);
  m.bandwidth = host.dram_bandwidth();
  std::vector<std::map<std::string, double>> terms;
  std::vector<double> measured, row_weight;
  std::vector<double> efficiencies, overheads;
  for (const ModelSamples& ms : samples) {
    m.trained_on.push_back(ms.name);
    double sum_ms = 0;
    for (const StepSample& s : ms.steps) {
      sum_ms += s.measured_ms;
      terms.push_back(step_terms(s.step));
      measured.push_back(s.measured_ms * 1e-3);
      double w = o.balance_models ? 1.0 / std::sqrt(static_cast<double>(ms.steps.size())) : 1.0;
      if (ms.name.rfind("kernel_", 0) == 0) w *= o.sampled_kernel_weight;
      row_weight.push_back(w);
      double roof = step_roofline_seconds(m, s.step);
      if (s.step.backend != "view" && roof > 0 && s.measured_ms > 0) efficiencies.push_back(roof / (s.measured_ms * 1e-3));
    }
    overheads.push_back(ms.measured_ms - sum_ms);
  }
  if (terms.empty()) return invalid_argument("no measured steps to fit a latency model on");
  m.training_steps = static_cast<int>(terms.size());
  fit_terms(terms, measured, row_weight, o, m);
  m.efficiency = efficiencies.empty() ? 1.0 : std::max(median(efficiencies), 1e-6);
  m.run_overhead_ms = std::max(0.0, median(overheads));
  return m;
}

double predict_step_seconds(const LatencyModel& m, const KernelStep& s, bool* fallback) {
  bool used_fallback = false;
  double t = 0;
  const auto terms = step_terms(s);
  for (const char* prefix : {"step|", "step_bytes|", "layout_bytes|"}) {
    auto it = terms.find(prefix + s.backend);
    if (it != terms.end()) t += coefficient(m, it->first) * it->second;
  }
  for (const NodeFeatures& n : s.nodes) {
    if (s.backend == "view") break;
    const std::string k = node_class(s, n);
    if (!seen(m, "node|" + k)) {
      t += node_roofline_seconds(m, n) / m.efficiency;
      used_fallback = true;
      continue;
    }
    t += coefficient(m, "node|" + k) + coefficient(m, "macs|" + k) * n.macs +
         coefficient(m, "bytes|" + k) * (n.bytes - n.param_bytes) + coefficient(m, "wbytes|" + k) * n.param_bytes +
         coefficient(m, "elems|" + k) * n.out_elems + coefficient(m, "im2col|" + k) * im2col_elems(s, n) +
         (s.model_weight_bytes > kCacheResidentWeightBytes ? coefficient(m, "cold_wbytes|" + k) * n.param_bytes : 0.0);
  }
  if (fallback) *fallback = used_fallback;
  return t;
}

LatencyPrediction predict_latency(const LatencyModel& m, const std::vector<KernelStep>& steps) {
  LatencyPrediction p;
  for (const KernelStep& s : steps) {
    StepPrediction sp{s.name, s.op_pattern, s.backend, s.kernel_type()};
    sp.latency_ms = predict_step_seconds(m, s, &sp.fallback) * 1e3;
    p.latency_ms += sp.latency_ms;
    p.fallback_steps += sp.fallback;
    p.steps.push_back(std::move(sp));
  }
  p.latency_ms += m.run_overhead_ms;
  return p;
}

nlohmann::json to_json(const LatencyModel& m) {
  nlohmann::json peaks = nlohmann::json::object();
  for (const auto& [p, v] : m.peak_ops) peaks[precision_name(p)] = v / 1e9;
  return {{"format", "edgewise-latency-model"},
          {"version", m.version},
          {"host_fingerprint", m.host_fingerprint},
          {"trained_on", m.trained_on},
          {"training_steps", m.training_steps},
          {"coefficients_s", m.coefficients},
          {"support", m.support},
          {"run_overhead_ms", m.run_overhead_ms},
          {"fallback", {{"peak_gops", peaks}, {"bandwidth_gb_s", m.bandwidth / 1e9}, {"efficiency", m.efficiency}}}};
}

namespace {

Status expect(bool ok, const std::string& origin, const std::string& what) {
  return ok ? Status::ok() : invalid_argument(origin + ": " + what);
}

}  // namespace

static Result<LatencyModel> latency_model_from_json_fields(const nlohmann::json& j, const std::string& origin) {
  EW_RETURN_IF_ERROR(expect(j.is_object() && j.value("format", "") == "edgewise-latency-model", origin,
                            "not an edgewise latency model (\"format\" must be \"edgewise-latency-model\")"));
  LatencyModel m;
  EW_RETURN_IF_ERROR(expect(j.contains("version") && j["version"].is_number_integer(), origin, "'version' must be an integer"));
  m.version = j["version"].get<int>();
  EW_RETURN_IF_ERROR(expect(m.version == kLatencyModelVersion, origin,
                            "latency model version " + std::to_string(m.version) + " is not supported (this build reads " +
                                std::to_string(kLatencyModelVersion) + "); refit with `edgewise latency-model fit`"));
  EW_RETURN_IF_ERROR(expect(j.contains("host_fingerprint") && j["host_fingerprint"].is_string(), origin,
                            "'host_fingerprint' must be a string"));
  m.host_fingerprint = j["host_fingerprint"].get<std::string>();
  if (j.contains("trained_on") && j["trained_on"].is_array())
    for (const auto& t : j["trained_on"])
      if (t.is_string()) m.trained_on.push_back(t.get<std::string>());
  m.training_steps = j.value("training_steps", 0);
  EW_RETURN_IF_ERROR(expect(j.contains("coefficients_s") && j["coefficients_s"].is_object(), origin,
                            "'coefficients_s' must be an object of term -> seconds"));
  for (const auto& [k, v] : j["coefficients_s"].items()) {
    EW_RETURN_IF_ERROR(expect(v.is_number() && v.get<double>() >= 0 && std::isfinite(v.get<double>()), origin,
                              "coefficients_s['" + k + "'] must be a non-negative number"));
    m.coefficients[k] = v.get<double>();
  }
  EW_RETURN_IF_ERROR(expect(j.contains("support") && j["support"].is_object(), origin, "'support' must be an object"));
  for (const auto& [k, v] : j["support"].items()) {
    EW_RETURN_IF_ERROR(expect(v.is_number_integer() && v.get<int>() >= 0, origin,
                              "support['" + k + "'] must be a non-negative integer"));
    m.support[k] = v.get<int>();
  }
  EW_RETURN_IF_ERROR(expect(j.contains("run_overhead_ms") && j["run_overhead_ms"].is_number() &&
                                j["run_overhead_ms"].get<double>() >= 0, origin, "'run_overhead_ms' must be a number >= 0"));
  m.run_overhead_ms = j["run_overhead_ms"].get<double>();
  EW_RETURN_IF_ERROR(expect(j.contains("fallback") && j["fallback"].is_object(), origin, "'fallback' must be an object"));
  const auto& f = j["fallback"];
  EW_RETURN_IF_ERROR(expect(f.contains("efficiency") && f["efficiency"].is_number() && f["efficiency"].get<double>() > 0,
                            origin, "fallback.efficiency must be a number > 0"));
  m.efficiency = f["efficiency"].get<double>();
  EW_RETURN_IF_ERROR(expect(f.contains("bandwidth_gb_s") && f["bandwidth_gb_s"].is_number() &&
                                f["bandwidth_gb_s"].get<double>() > 0, origin, "fallback.bandwidth_gb_s must be a number > 0"));
  m.bandwidth = f["bandwidth_gb_s"].get<double>() * 1e9;
  EW_RETURN_IF_ERROR(expect(f.contains("peak_gops") && f["peak_gops"].is_object(), origin, "fallback.peak_gops must be an object"));
  for (const auto& [k, v] : f["peak_gops"].items()) {
    auto p = parse_precision(k);
    if (!p.is_ok()) return p.status().with_context(origin + ": fallback.peak_gops: ");
    EW_RETURN_IF_ERROR(expect(v.is_number() && v.get<double>() >= 0, origin, "fallback.peak_gops." + k + " must be a number"));
    m.peak_ops[*p] = v.get<double>() * 1e9;
  }
  return m;
}

Status save_latency_model(const LatencyModel& m, const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::ofstream out(path);
  if (!out) return io_error("cannot write " + path);
  out << to_json(m).dump(2) << "\n";
  if (!out) return io_error("cannot write " + path);
  return Status::ok();
}

Result<LatencyModel> load_latency_model(const std::string& path) {
  std::ifstream in(path);
  if (!in) return not_found("no latency model at " + path + " (fit one with `edgewise latency-model fit`)");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return invalid_argument(path + ": not valid JSON");
  return latency_model_from_json(j, path);
}

std::string default_latency_model_path() {
  std::string host = default_host_profile_cache_path();
  if (host.empty()) return "";
  return (std::filesystem::path(host).parent_path() / "latency_model.json").string();
}

Result<LatencyModel> load_host_latency_model(const std::string& path) {
  std::string p = path.empty() ? default_latency_model_path() : path;
  if (p.empty()) return not_found("no latency model path: set HOME, XDG_CACHE_HOME or pass --latency-model");
  EW_ASSIGN_OR_RETURN(LatencyModel m, load_latency_model(p));
  if (m.host_fingerprint != host_fingerprint())
    return invalid_argument(p + ": fitted on another machine (" + m.host_fingerprint + "), this one is " +
                            host_fingerprint() + "; refit with `edgewise latency-model fit`");
  return m;
}

// The typed readers above check each field before reading it; this catches
// what they miss (a field of an unexpected JSON type deep inside), so a
// malformed file is an error, never an exception escaping the library.
Result<LatencyModel> latency_model_from_json(const nlohmann::json& j, const std::string& origin) {
  try {
    return latency_model_from_json_fields(j, origin);
  } catch (const nlohmann::json::exception& e) {
    return invalid_argument(origin + ": malformed latency model: " + e.what());
  }
}

}  // namespace ew
