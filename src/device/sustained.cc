#include "device/sustained.h"

#include <algorithm>
#include <cstdio>

#include "device/governor.h"
#include "device/thermal_model.h"

namespace ew {
namespace {

constexpr double kEps = 1e-12;
constexpr int kPrimary = 0, kFallback = 1;

// Per-variant, per-point latency and power, and the policy.
struct Plan {
  std::vector<std::vector<PointPrediction>> table;  // [variant][point]
  std::vector<std::string> names;
  std::vector<std::optional<double>> accuracy;
  double static_w = 0;
  bool thermal_aware = false;
};

// One policy's run: the load, then idle until recovery.
class Simulation {
 public:
  Simulation(const Plan& plan, const SustainedOptions& o, ThermalModel thermal, StepwiseGovernor governor)
      : plan_(plan), o_(o), thermal_(thermal), governor_(governor) {}

  SustainedRun run(const std::string& policy);

 private:
  const PointPrediction& at(int v) const { return plan_.table[v][governor_.point()]; }
  int choose_variant() const { return plan_.thermal_aware && hot_ ? kFallback : kPrimary; }
  void heat(double power_w, double dt_s);
  void run_inferences(double dt_s);
  void finish(int64_t count, double latency_s);
  void poll();
  void sample(const std::string& variant, double latency_s, double power_w);
  void recover();
  void summarize();

  const Plan& plan_;
  const SustainedOptions& o_;
  ThermalModel thermal_;
  StepwiseGovernor governor_;
  SustainedRun r_;
  double t_ = 0, steady_start_ = 0;
  int variant_ = kPrimary;  // of the inference in progress
  double progress_ = 0, started_ = 0;
  bool hot_ = false;
  double latency_sum_ = 0, steady_latency_sum_ = 0, steady_energy_ = 0;
  int64_t steady_count_ = 0;
};

void Simulation::heat(double power_w, double dt_s) {
  thermal_.step(power_w, dt_s);
  t_ += dt_s;
  r_.energy_j += power_w * dt_s;
  if (t_ > steady_start_ + kEps) steady_energy_ += power_w * dt_s;
  if (governor_.throttled()) r_.throttled_s += dt_s;
  if (variant_ == kFallback) r_.fallback_s += dt_s;
  r_.peak_temperature_c = std::max(r_.peak_temperature_c, thermal_.temperature());
}

void Simulation::finish(int64_t count, double latency_s) {
  r_.inferences += count;
  if (variant_ == kFallback) r_.fallback_inferences += count;
  latency_sum_ += latency_s * static_cast<double>(count);
  if (t_ > steady_start_ + kEps) {
    steady_count_ += count;
    steady_latency_sum_ += latency_s * static_cast<double>(count);
  }
}

// Runs inferences for dt_s at the current point: the one in progress, then
// whole ones in a single step (same variant, point and power), then a partial one.
void Simulation::run_inferences(double dt_s) {
  while (dt_s > kEps) {
    const PointPrediction& p = at(variant_);
    const double need = (1 - progress_) * p.latency_s;
    if (need > dt_s + kEps) {
      progress_ += dt_s / p.latency_s;
      heat(p.power_w, dt_s);
      return;
    }
    heat(p.power_w, need);
    dt_s -= need;
    finish(1, t_ - started_);
    variant_ = choose_variant();
    progress_ = 0;
    started_ = t_;
    const PointPrediction& q = at(variant_);
    const double whole = std::floor((dt_s + kEps) / q.latency_s);
    if (whole >= 1) {
      heat(q.power_w, whole * q.latency_s);
      dt_s -= whole * q.latency_s;
      finish(static_cast<int64_t>(whole), q.latency_s);
      started_ = t_;
    }
  }
}

void Simulation::poll() {
  const double c = thermal_.temperature();
  const auto action = governor_.poll(c);
  if (c >= governor_.limits().throttle_c) {
    hot_ = true;
    if (!r_.trip_s) r_.trip_s = t_;
  } else if (!governor_.throttled() && c <= governor_.limits().throttle_c - governor_.limits().hysteresis_c) {
    hot_ = false;
  }
  if (action == StepwiseGovernor::Action::kLower && !r_.first_throttle_s) r_.first_throttle_s = t_;
  if (action == StepwiseGovernor::Action::kShutdown && !r_.shutdown_s) r_.shutdown_s = t_;
}

void Simulation::sample(const std::string& variant, double latency_s, double power_w) {
  const DvfsPoint& p = plan_.table[0][governor_.point()].point;
  r_.samples.push_back({t_, thermal_.temperature(), p.frequency_mhz, governor_.point(), latency_s, power_w, variant});
}

void Simulation::recover() {
  if (r_.shutdown_s) return;  // powered off: no governor to recover
  if (!governor_.throttled() && !hot_) {
    r_.recovery_s = 0;
    return;
  }
  const double stop = t_;
  double next_sample = stop + o_.sample_interval_s;
  for (int64_t k = 1;; ++k) {
    const double next = stop + static_cast<double>(k) * o_.polling_interval_s;
    if (next - stop > o_.max_recovery_s + kEps) return;
    thermal_.step(plan_.static_w, next - t_);
    t_ = next;
    poll();
    const bool back = !governor_.throttled() && !hot_;
    if (back || t_ >= next_sample - kEps) {
      sample("idle", 0, plan_.static_w);
      while (next_sample <= t_ + kEps) next_sample += o_.sample_interval_s;
    }
    if (back) {
      r_.recovery_s = t_ - stop;
      return;
    }
  }
}

SustainedRun Simulation::run(const std::string& policy) {
  r_.policy = policy;
  r_.peak_temperature_c = thermal_.temperature();
  steady_start_ = o_.seconds * (1 - o_.steady_fraction);
  started_ = 0;
  variant_ = choose_variant();
  sample(plan_.names[variant_], at(variant_).latency_s, at(variant_).power_w);
  int64_t polls = 1, samples = 1;
  while (t_ < o_.seconds - kEps && !r_.shutdown_s) {
    const double next_poll = static_cast<double>(polls) * o_.polling_interval_s;
    const double next_sample = static_cast<double>(samples) * o_.sample_interval_s;
    double next = std::min({next_poll, next_sample, o_.seconds});
    if (steady_start_ > t_ + kEps) next = std::min(next, steady_start_);
    run_inferences(next - t_);
    t_ = next;  // absorb rounding
    if (t_ >= next_poll - kEps) {
      poll();
      ++polls;
    }
    if (t_ >= next_sample - kEps || r_.shutdown_s) {
      if (t_ >= next_sample - kEps) ++samples;
      sample(r_.shutdown_s ? "off" : plan_.names[variant_], r_.shutdown_s ? 0 : at(variant_).latency_s,
             r_.shutdown_s ? 0 : at(variant_).power_w);
    }
  }
  r_.load_s = t_;
  r_.end_temperature_c = thermal_.temperature();
  summarize();
  recover();
  return std::move(r_);
}

void Simulation::summarize() {
  const double n = static_cast<double>(r_.inferences);
  r_.mean_latency_s = r_.inferences ? latency_sum_ / n : 0;
  r_.energy_per_inference_j = r_.inferences ? r_.energy_j / n : 0;
  r_.mean_power_w = r_.load_s > 0 ? r_.energy_j / r_.load_s : 0;
  if (plan_.accuracy[kPrimary] && (!plan_.thermal_aware || plan_.accuracy[kFallback]) && r_.load_s > 0) {
    const double on_fallback = r_.fallback_s / r_.load_s;
    r_.accuracy = *plan_.accuracy[kPrimary] * (1 - on_fallback) +
                  (on_fallback > 0 ? *plan_.accuracy[kFallback] * on_fallback : 0.0);
  }
  const double window = r_.load_s - steady_start_;
  r_.steady_latency_s = steady_count_ ? steady_latency_sum_ / static_cast<double>(steady_count_) : at(variant_).latency_s;
  r_.steady_power_w = window > kEps ? steady_energy_ / window : at(variant_).power_w;
  double temp = 0, freq = 0;
  int count = 0;
  for (const SustainedSample& s : r_.samples)
    if (s.t_s >= steady_start_ - kEps && s.t_s <= r_.load_s + kEps) temp += s.temperature_c, freq += s.frequency_mhz, ++count;
  r_.steady_temperature_c = count ? temp / count : r_.end_temperature_c;
  r_.steady_frequency_mhz = count ? freq / count : 0;
}

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

Status check_options(const SustainedOptions& o) {
  if (!(o.seconds > 0) || !std::isfinite(o.seconds))
    return invalid_argument("sustained run length must be a positive number of seconds, got " + num(o.seconds));
  if (!(o.polling_interval_s > 0) || !(o.sample_interval_s > 0) || !(o.max_recovery_s >= 0))
    return invalid_argument("sustained run: polling and sample intervals must be positive");
  if (!(o.steady_fraction > 0 && o.steady_fraction <= 1))
    return invalid_argument("sustained run: steady_fraction must be in (0, 1]");
  if ((o.seconds + o.max_recovery_s) / o.sample_interval_s > 1e6 || o.seconds / o.polling_interval_s > 1e7)
    return invalid_argument("sustained run of " + num(o.seconds) + " s is too long: at most 1e6 samples of " +
                            num(o.sample_interval_s) + " s and 1e7 governor polls");
  return Status::ok();
}

Status check_variant(const SustainedVariant& v, const DeviceProfile& profile) {
  if (!(v.prediction.latency_s > 0))
    return invalid_argument("variant '" + v.name + "' has no predicted latency (an empty model?)");
  if (v.prediction.device != profile.name)
    return invalid_argument("variant '" + v.name + "' was predicted for device '" + v.prediction.device + "', not '" +
                            profile.name + "'");
  return Status::ok();
}

}  // namespace

Result<SustainedResult> simulate_sustained(const DeviceProfile& profile, const SustainedVariant& primary,
                                           const std::optional<SustainedVariant>& fallback,
                                           const SustainedOptions& options) {
  EW_RETURN_IF_ERROR(check_options(options));
  EW_RETURN_IF_ERROR(check_variant(primary, profile));
  if (fallback) EW_RETURN_IF_ERROR(check_variant(*fallback, profile));
  auto thermal = ThermalModel::from_spec(profile.thermal);
  if (!thermal.is_ok()) return thermal.status().with_context("device '" + profile.name + "': ");
  if (!std::isnan(options.initial_temperature_c)) thermal->set_temperature(options.initial_temperature_c);
  EW_ASSIGN_OR_RETURN(DvfsModel dvfs, dvfs_model(profile, dominant_unit(primary.prediction, profile)));
  auto governor = StepwiseGovernor::from_spec(profile.thermal, dvfs.top() + 1);
  if (!governor.is_ok()) return governor.status().with_context("device '" + profile.name + "': ");

  SustainedResult r;
  r.device = profile.name;
  r.unit = dvfs.unit;
  r.nominal_only = dvfs.nominal_only;
  r.options = options;
  r.thermal = profile.thermal;
  r.static_w = profile.static_power();
  r.tdp_w = profile.tdp();
  r.primary = primary;
  r.fallback = fallback;
  r.primary_points = predict_dvfs(primary.prediction, profile, dvfs);
  if (fallback) r.fallback_points = predict_dvfs(fallback->prediction, profile, dvfs);
  r.full_load_power_w = r.primary_points.back().power_w;
  r.full_load_steady_c = thermal->steady_state(r.full_load_power_w);
  r.throttle_power_w = thermal->power_for(profile.thermal.throttle_c.value);

  Plan plan{{r.primary_points, fallback ? r.fallback_points : r.primary_points},
            {primary.name, fallback ? fallback->name : primary.name},
            {primary.accuracy, fallback ? fallback->accuracy : primary.accuracy},
            r.static_w};
  r.primary_run = Simulation(plan, options, *thermal, *governor).run("primary");
  if (fallback) {
    plan.thermal_aware = true;
    r.thermal_aware_run = Simulation(plan, options, *thermal, *governor).run("thermal_aware");
  }
  return r;
}

}  // namespace ew
