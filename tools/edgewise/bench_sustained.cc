// edgewise bench --sustained: parse, predict, simulate, print.
#include "bench_sustained.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "device/model_prediction.h"
#include "report/sustained_report.h"

namespace ew::cli {

namespace {

Result<std::vector<double>> parse_accuracy(const std::string& spec) {
  std::vector<double> values;
  std::stringstream in(spec);
  for (std::string item; std::getline(in, item, ',');) {
    try {
      size_t used = 0;
      values.push_back(std::stod(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      return invalid_argument("--accuracy: '" + item + "' is not a number (expected PRIMARY[,FALLBACK], e.g. 69.8,69.1)");
    }
    if (!std::isfinite(values.back())) return invalid_argument("--accuracy: values must be finite");
  }
  if (values.empty() || values.size() > 2)
    return invalid_argument("--accuracy takes one or two numbers: PRIMARY[,FALLBACK]");
  return values;
}

std::string fmt(const char* format, double a, double b = 0, double c = 0, double d = 0) {
  char buf[96];
  std::snprintf(buf, sizeof buf, format, a, b, c, d);
  return buf;
}

Status check_args(const SustainedBenchArgs& a) {
  if (!a.sustained_option || a.sustained_option->count() == 0)
    return invalid_argument("--device, --fallback, --accuracy, --table-every and --polling go with --sustained SECONDS (bench measures this "
                            "machine otherwise; `edgewise predict` predicts one inference on a profile)");
  if (!(a.seconds > 0) || !std::isfinite(a.seconds))
    return invalid_argument("--sustained must be a positive number of seconds, got " + fmt("%g", a.seconds));
  if (a.device.empty()) return invalid_argument("--sustained needs --device PROFILE (see `edgewise device --profiles`)");
  if (!(a.table_every >= 0)) return invalid_argument("--table-every must not be negative");
  return Status::ok();
}

std::string variant_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

std::string never_or(const std::optional<double>& s, const char* never = "never") {
  if (!s) return never;
  char b[32];
  std::snprintf(b, sizeof b, "%.0f s", *s);
  return b;
}

std::string mhz(double f) {
  if (f <= 0) return "nominal";
  char b[32];
  std::snprintf(b, sizeof b, "%.0f MHz", f);
  return b;
}

void print_points(const SustainedResult& r) {
  std::printf("\n%-10s %6s %8s %8s", "point", "V", "speed", "E/MAC");
  std::printf(" | %-24s", (r.primary.name + ": ms mJ W").c_str());
  if (r.fallback) std::printf(" | %s", (r.fallback->name + ": ms mJ W").c_str());
  std::printf("\n");
  for (size_t i = 0; i < r.primary_points.size(); ++i) {
    const PointPrediction& p = r.primary_points[i];
    std::printf("%-10s %6s %8.2f %8.2f", mhz(p.point.frequency_mhz).c_str(),
                p.point.voltage_v > 0 ? fmt("%.2f", p.point.voltage_v).c_str() : "-", p.point.speed, p.point.energy_scale);
    std::printf(" | %7.2f %8.2f %6.2f   ", p.latency_s * 1e3, p.energy_j * 1e3, p.power_w);
    if (r.fallback) {
      const PointPrediction& q = r.fallback_points[i];
      std::printf(" | %7.2f %8.2f %6.2f", q.latency_s * 1e3, q.energy_j * 1e3, q.power_w);
    }
    std::printf("\n");
  }
  std::printf("(E/MAC: dynamic energy per MAC relative to the top point, (V/Vmax)^2; mJ per inference with static power)\n");
}

// Pads to `width` characters, counting a UTF-8 sequence (°) as one.
std::string pad(std::string s, size_t width) {
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  if (chars < width) s.append(width - chars, ' ');
  return s;
}

void print_run_row(const char* label, const SustainedResult& r, const std::function<std::string(const SustainedRun&)>& f) {
  std::printf("%-18s %s", label, pad(f(r.primary_run), 22).c_str());
  if (r.thermal_aware_run) std::printf(" %s", f(*r.thermal_aware_run).c_str());
  std::printf("\n");
}

void print_runs(const SustainedResult& r) {
  std::printf("\n%-18s %-22s%s\n", "policy", "primary", r.thermal_aware_run ? " thermal-aware (fallback while hot)" : "");
  print_run_row("trip reached", r, [](auto& x) { return never_or(x.trip_s); });
  print_run_row("first throttle", r, [](auto& x) { return never_or(x.first_throttle_s); });
  print_run_row("shutdown", r, [](auto& x) { return never_or(x.shutdown_s, "no"); });
  print_run_row("inferences", r, [](auto& x) { return fmt("%.0f", static_cast<double>(x.inferences)); });
  print_run_row("mean latency", r, [](auto& x) { return fmt("%.2f ms", x.mean_latency_s * 1e3); });
  print_run_row("energy/inference", r, [](auto& x) { return fmt("%.1f mJ", x.energy_per_inference_j * 1e3); });
  print_run_row("mean power", r, [](auto& x) { return fmt("%.2f W", x.mean_power_w); });
  print_run_row("peak temperature", r, [](auto& x) { return fmt("%.1f °C", x.peak_temperature_c); });
  print_run_row("time throttled", r, [](auto& x) { return fmt("%.0f s (%.0f%%)", x.throttled_s, 100 * x.throttled_s / x.load_s); });
  print_run_row("steady latency", r, [](auto& x) { return fmt("%.2f ms", x.steady_latency_s * 1e3); });
  print_run_row("steady power", r, [](auto& x) { return fmt("%.2f W", x.steady_power_w); });
  print_run_row("steady temp/freq", r, [](auto& x) { return fmt("%.1f °C %.0f MHz", x.steady_temperature_c, x.steady_frequency_mhz); });
  print_run_row("recovery", r, [](auto& x) {
    if (x.shutdown_s) return std::string("- (shut down)");
    if (!x.recovery_s) return std::string("not within limit");
    return *x.recovery_s > 0 ? fmt("%.0f s", *x.recovery_s) : std::string("0 s (at the top)");
  });
  if (r.thermal_aware_run) {
    print_run_row("on fallback", r, [](auto& x) {
      return fmt("%.0f s, %.0f inf.", x.fallback_s, static_cast<double>(x.fallback_inferences));
    });
    print_run_row("accuracy (time-wt)", r, [](auto& x) { return x.accuracy ? fmt("%.3f", *x.accuracy) : std::string("-"); });
  }
  std::printf("(steady = the last %.0f%% of the load)\n", r.options.steady_fraction * 100);
}

void print_comparison(const SustainedRun& base, const SustainedRun& policy) {
  auto pct = [](double now, double before) { return before != 0 ? 100 * (now - before) / before : 0.0; };
  std::printf("\nthermal-aware vs primary: mean latency %+.1f%%, energy per inference %+.1f%%, inferences %+lld (%+.1f%%)",
              pct(policy.mean_latency_s, base.mean_latency_s), pct(policy.energy_per_inference_j, base.energy_per_inference_j),
              static_cast<long long>(policy.inferences - base.inferences),
              pct(static_cast<double>(policy.inferences), static_cast<double>(base.inferences)));
  if (base.accuracy && policy.accuracy) std::printf(", accuracy cost %.3f (time-weighted)", *base.accuracy - *policy.accuracy);
  std::printf("\n");
  if (policy.fallback_inferences == 0) std::printf("(the fallback never ran: the primary never got hot)\n");
}

void print_series(const SustainedRun& run, double every, double sample_s) {
  std::printf("\ntime series, %s policy, every %.0f s\n%8s %7s %9s %11s %7s  %s\n", run.policy.c_str(), every, "t s", "°C",
              "MHz", "latency ms", "W", "variant");
  double next = 0;
  for (size_t i = 0; i < run.samples.size(); ++i) {
    const SustainedSample& s = run.samples[i];
    const bool last = i + 1 == run.samples.size();
    if (s.t_s + 1e-9 < next && !last) continue;
    next = s.t_s + every - sample_s / 2;
    std::printf("%8.0f %7.1f %9s %11.2f %7.2f  %s\n", s.t_s, s.temperature_c, mhz(s.frequency_mhz).c_str(),
                s.latency_s * 1e3, s.power_w, s.variant.c_str());
  }
}

void print_text(const SustainedResult& r, double table_every) {
  const ThermalSpec& th = r.thermal;
  std::printf("sustained   %s on %s for %.0f s, simulated (roofline + DVFS + RC thermal model + step-wise governor, polled every %.3g s)\n",
              r.primary.name.c_str(), r.device.c_str(), r.options.seconds, r.options.polling_interval_s);
  std::printf("governor    unit %s, %zu operating point%s%s; throttle at %.1f °C, recover at %.1f °C, shutdown at %.1f °C\n",
              r.unit.c_str(), r.primary_points.size(), r.primary_points.size() == 1 ? "" : "s",
              r.nominal_only ? " (none listed: cannot lower the clock)" : "", th.throttle_c.value,
              th.throttle_c.value - th.hysteresis_c.value, th.critical_c.value);
  std::printf("thermal     R %.3g °C/W, tau %.3g s, ambient %.1f °C; static %.2f W, TDP %.2f W\n",
              th.resistance_c_per_w.value, th.time_constant_s.value, th.ambient_c.value, r.static_w, r.tdp_w);
  std::printf("full load   %.2f W at the top point -> would settle at %.1f °C; the %.1f °C trip needs %.2f W\n",
              r.full_load_power_w, r.full_load_steady_c, th.throttle_c.value, r.throttle_power_w);
  if (r.full_load_steady_c < th.throttle_c.value)
    std::printf("            so this model never throttles on this profile (its energies give %.2f W of %.2f W TDP)\n",
                r.full_load_power_w, r.tdp_w);
  print_points(r);
  print_runs(r);
  if (r.thermal_aware_run) print_comparison(r.primary_run, *r.thermal_aware_run);
  const double every = table_every > 0 ? table_every : std::max(r.options.sample_interval_s, std::round(r.options.seconds / 20));
  print_series(r.primary_run, every, r.options.sample_interval_s);
  if (r.thermal_aware_run) print_series(*r.thermal_aware_run, every, r.options.sample_interval_s);
}

}  // namespace

void add_sustained_options(CLI::App* bench, SustainedBenchArgs& a) {
  a.sustained_option = bench->add_option("--sustained", a.seconds,
                                         "Simulate SECONDS of back-to-back inference on --device (thermal model, "
                                         "DVFS governor) instead of measuring this machine");
  a.device_option = bench->add_option("--device", a.device, "Device profile for --sustained: a name from "
                                                            "`edgewise device --profiles`, host, or a .json");
  a.fallback_option = bench->add_option("--fallback", a.fallback,
                                        "With --sustained: a cheaper variant (e.g. the INT8 model) to run while the device is hot");
  a.accuracy_option = bench->add_option("--accuracy", a.accuracy,
                                        "With --sustained: accuracies PRIMARY[,FALLBACK] (any scale) to weigh the fallback's cost");
  a.table_option = bench->add_option("--table-every", a.table_every, "With --sustained: seconds between rows of the printed time series (0 = about 20 rows)");
  a.polling_option = bench->add_option("--polling", a.polling_s, "With --sustained: governor polling interval in seconds")->capture_default_str();
}

bool sustained_requested(const SustainedBenchArgs& a) {
  for (const CLI::Option* o : {a.sustained_option, a.device_option, a.fallback_option, a.accuracy_option,
                              a.table_option, a.polling_option})
    if (o && o->count() > 0) return true;
  return false;
}

Result<SustainedResult> simulate_sustained_bench(const std::string& model, const std::vector<std::string>& dims_spec,
                                                 const SustainedBenchArgs& a) {
  EW_RETURN_IF_ERROR(check_args(a));
  EW_ASSIGN_OR_RETURN(auto dims, parse_dims(dims_spec));
  std::vector<double> accuracy;
  if (!a.accuracy.empty()) {
    EW_ASSIGN_OR_RETURN(accuracy, parse_accuracy(a.accuracy));
  }
  if (accuracy.size() == 2 && a.fallback.empty())
    return invalid_argument("--accuracy gave two values but there is no --fallback model");
  EW_ASSIGN_OR_RETURN(DeviceProfile device, load_device_profile(a.device));
  SustainedVariant primary{variant_name(model), {}, accuracy.empty() ? std::nullopt : std::optional(accuracy[0])};
  EW_ASSIGN_OR_RETURN(primary.prediction, predict_model_roofline(model, device, dims));
  std::optional<SustainedVariant> fallback;
  if (!a.fallback.empty()) {
    fallback = SustainedVariant{variant_name(a.fallback), {}, accuracy.size() == 2 ? std::optional(accuracy[1]) : std::nullopt};
    if (fallback->name == primary.name) fallback->name = a.fallback, primary.name = model;
    auto p = predict_model_roofline(a.fallback, device, dims);
    if (!p.is_ok()) return p.status().with_context("--fallback: ");
    fallback->prediction = std::move(*p);
  }
  SustainedOptions o;
  o.seconds = a.seconds;
  o.polling_interval_s = a.polling_s;
  return simulate_sustained(device, primary, fallback, o);
}

int run_sustained_bench(const std::string& model, const std::vector<std::string>& dims, const SustainedBenchArgs& a,
                        bool json, const std::string& report_path) {
  auto r = simulate_sustained_bench(model, dims, a);
  if (!r.is_ok()) return report_error(r.status());
  if (!report_path.empty()) {
    Status s = report::sustained_report(*r).write(report_path);
    if (!s.is_ok()) return report_error(s);
  }
  if (json) {
    nlohmann::json j = sustained_to_json(*r);
    if (!report_path.empty()) j["report"] = report_path;
    std::cout << j.dump(2) << "\n";
  } else {
    print_text(*r, a.table_every);
    if (!report_path.empty()) std::printf("report      %s\n", report_path.c_str());
  }
  return 0;
}

}  // namespace ew::cli
