#include "device/energy_meter.h"

namespace ew::device {

InferenceEnergyMeter::InferenceEnergyMeter(const std::string& root, double min_read_interval_s)
    : min_interval_s_(min_read_interval_s) {
  std::string unreadable;
  for (const RaplZone& z : read_rapl_zones(root)) {
    if (z.id.find(':') != z.id.rfind(':')) continue;  // sub-zones (core, uncore, dram) are inside the package
    if (!z.name.known() || z.name.value.rfind("package", 0) != 0) continue;  // psys: the whole platform
    RaplCounter counter(root, z.path);
    if (Status s = counter.start(); !s.is_ok()) {
      unreadable = z.id + ": " + s.message();
      continue;
    }
    counters_.push_back(std::move(counter));
    zones_.push_back(z.id + " (" + z.name.value + ")");
  }
  if (!counters_.empty()) return;
  reason_ = unreadable.empty()
                ? "no RAPL package zone under " + root + (root == "/" ? "" : "/") +
                      "sys/class/powercap (a VM, or a CPU without RAPL)"
                : "RAPL package counter unreadable (root-only since Linux 5.10): " + unreadable;
}

void InferenceEnergyMeter::read(int runs, Clock::time_point now) {
  int64_t total = 0;
  for (RaplCounter& c : counters_) {
    auto uj = c.elapsed_uj();
    if (!uj.is_ok()) {  // became unreadable mid-run: the result says so
      reason_ = "RAPL read failed during the runs: " + uj.status().message();
      return;
    }
    total += *uj;
  }
  last_uj_ = total;
  last_runs_ = runs;
  last_time_ = now;
}

void InferenceEnergyMeter::after_run(int runs) {
  if (!available()) return;
  const Clock::time_point now = Clock::now();
  if (!started_) {
    for (RaplCounter& c : counters_)
      if (Status s = c.start(); !s.is_ok()) {
        reason_ = "RAPL counter could not start: " + s.message();
        return;
      }
    started_ = true;
    start_runs_ = last_runs_ = runs;
    start_time_ = last_time_ = now;
    return;
  }
  if (std::chrono::duration<double>(now - last_time_).count() >= min_interval_s_) read(runs, now);
}

MeasuredEnergy InferenceEnergyMeter::result() const {
  MeasuredEnergy e;
  e.zones = zones_;
  e.runs = last_runs_ - start_runs_;
  e.energy_j = static_cast<double>(last_uj_) * 1e-6;
  e.seconds = std::chrono::duration<double>(last_time_ - start_time_).count();
  e.measured = available() && e.runs > 0;
  if (!available()) e.reason = reason_;
  else if (e.runs == 0)
    e.reason = "the timed runs were too short to read the RAPL counter (needs two reads " +
               std::to_string(min_interval_s_) + " s apart)";
  return e;
}

}  // namespace ew::device
