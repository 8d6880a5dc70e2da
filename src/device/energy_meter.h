// Measured energy of a stretch of inference runs from the RAPL package
// counters (rapl.h), for `edgewise bench`.
//
// Call after_run() right after each timed run (BenchmarkProgress does): the
// first call starts the counters, later calls read them at most every
// `min_read_interval_s` (reading sysfs each run would add its own cost to a
// fast model), and the result covers exactly the runs between the first call
// and the last read. The package counter is whole-socket energy: other
// processes and idle power are in it, so on a busy machine it overstates the
// model's share.
//
// Most machines cannot read it: VMs and non-x86 boards have no powercap
// zones, and since Linux 5.10 energy_uj is root-only. Then available() is
// false and the result's `reason` says which.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "device/rapl.h"

namespace ew::device {

struct MeasuredEnergy {
  bool measured = false;
  std::string reason;              // why not, when !measured
  std::vector<std::string> zones;  // the package zones summed, e.g. "intel-rapl:0 (package-0)"
  int64_t runs = 0;                // inferences the energy covers
  double energy_j = 0, seconds = 0;
  double per_inference_j() const { return runs > 0 ? energy_j / static_cast<double>(runs) : 0; }
  double power_w() const { return seconds > 0 ? energy_j / seconds : 0; }
};

class InferenceEnergyMeter {
 public:
  // Opens every readable top-level package zone under `root` ("/" on the machine itself).
  explicit InferenceEnergyMeter(const std::string& root = "/", double min_read_interval_s = 0.05);

  bool available() const { return reason_.empty(); }
  const std::string& reason() const { return reason_; }

  // After timed run number `runs` (1-based, increasing).
  void after_run(int runs);
  MeasuredEnergy result() const;

 private:
  using Clock = std::chrono::steady_clock;
  void read(int runs, Clock::time_point now);

  std::vector<RaplCounter> counters_;
  std::vector<std::string> zones_;
  std::string reason_;
  double min_interval_s_;
  bool started_ = false;
  int start_runs_ = 0, last_runs_ = 0;
  Clock::time_point start_time_, last_time_;
  int64_t last_uj_ = 0;
};

}  // namespace ew::device
