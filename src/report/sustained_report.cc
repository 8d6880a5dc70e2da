#include "report/sustained_report.h"

#include <cstdio>

namespace ew::report {

namespace {

std::string event(const std::optional<double>& s) { return s ? format_number("%.0f s", *s) : "never"; }

struct Curves {
  std::vector<double> t, temperature, frequency, latency_ms, power;
};

// The load part of a run (idle recovery samples have no latency).
Curves curves(const SustainedRun& run, bool with_idle) {
  Curves c;
  for (const SustainedSample& s : run.samples) {
    const bool idle = s.latency_s <= 0;
    if (idle && !with_idle) continue;
    c.t.push_back(s.t_s);
    c.temperature.push_back(s.temperature_c);
    c.frequency.push_back(s.frequency_mhz);
    c.latency_ms.push_back(idle ? NAN : s.latency_s * 1e3);
    c.power.push_back(s.power_w);
  }
  return c;
}

Chart temperature_chart(const SustainedResult& r, const SustainedRun& run, const std::string& title) {
  Curves c = curves(run, true);
  Chart chart = dual_axis_line_chart(title, "time (s)", c.t, "temperature (°C)", c.temperature,
                                     r.nominal_only ? "clock (nominal only)" : r.unit + " clock (MHz)", c.frequency);
  if (c.t.empty()) return chart;
  Series trip{"throttle at " + format_number("%.0f °C", r.thermal.throttle_c.value), {c.t.front(), c.t.back()},
              {r.thermal.throttle_c.value, r.thermal.throttle_c.value}};
  trip.dashed = true;
  trip.point_radius = 0;
  trip.color = "#d62728";
  chart.series.push_back(trip);
  return chart;
}

std::vector<std::string> row(const std::string& name, const SustainedRun& run) {
  return {name,
          event(run.first_throttle_s),
          std::to_string(run.inferences),
          format_number("%.3f", run.mean_latency_s * 1e3),
          format_number("%.2f", run.energy_per_inference_j * 1e3),
          format_number("%.3f", run.steady_latency_s * 1e3),
          format_number("%.2f", run.steady_power_w),
          format_number("%.1f", run.peak_temperature_c),
          format_number("%.0f", run.throttled_s),
          format_number("%.0f", run.fallback_s),
          run.recovery_s ? format_number("%.0f s", *run.recovery_s) : "not reached",
          run.accuracy ? format_number("%.3f", *run.accuracy) : "-"};
}

void add_policy_charts(HtmlReport& page, const SustainedResult& r) {
  Curves primary = curves(r.primary_run, false);
  Chart latency = line_chart("Latency of each inference", "time (s)", "latency (ms)", primary.t, primary.latency_ms,
                             "primary only");
  Chart power = line_chart("Power", "time (s)", "power (W)", primary.t, primary.power, "primary only");
  if (r.thermal_aware_run) {
    Curves aware = curves(*r.thermal_aware_run, false);
    latency.series.push_back({"thermal-aware (" + r.fallback->name + " while hot)", aware.t, aware.latency_ms});
    power.series.push_back({"thermal-aware", aware.t, aware.power});
  }
  latency.y_from_zero = power.y_from_zero = true;
  page.chart(std::move(latency));
  page.chart(std::move(power));
}

}  // namespace

HtmlReport sustained_report(const SustainedResult& r) {
  HtmlReport page("Sustained inference of " + r.primary.name + " on " + r.device,
                  "simulated " + format_number("%.0f", r.options.seconds) +
                      " s of back-to-back inference: RC thermal model, step-wise governor");
  page.text("Full load at the top operating point draws " + format_number("%.2f W", r.full_load_power_w) + " and would settle at " +
            format_number("%.1f °C", r.full_load_steady_c) + "; the trip at " + format_number("%.0f °C", r.thermal.throttle_c.value) +
            " is reached at " + format_number("%.2f W", r.throttle_power_w) + ". Predictions are the roofline on the profile's numbers "
            "(modelled, not measured).");
  page.table({"policy", "first throttle", "inferences", "mean ms", "mJ/inference", "steady ms", "steady W", "peak °C",
              "throttled s", "on fallback s", "recovery", "accuracy"},
             r.thermal_aware_run ? std::vector<std::vector<std::string>>{row("primary only", r.primary_run),
                                                                         row("thermal-aware", *r.thermal_aware_run)}
                                 : std::vector<std::vector<std::string>>{row("primary only", r.primary_run)});
  page.chart(temperature_chart(r, r.primary_run, "Temperature and clock, primary only (then idle recovery)"));
  if (r.thermal_aware_run)
    page.chart(temperature_chart(r, *r.thermal_aware_run, "Temperature and clock, thermal-aware policy"));
  add_policy_charts(page, r);
  return page;
}

}  // namespace ew::report
