// cpufreq policies: which CPUs share a clock and the frequencies it can run at
// (/sys/devices/system/cpu/cpufreq/policyN/). Frequencies are in kHz, as sysfs
// writes them. VMs and containers usually have no policies at all.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "device/reading.h"

namespace ew::device {

struct CpufreqPolicy {
  std::string name;                 // "policy0"
  Reading<std::vector<int>> cpus;   // related_cpus (else affected_cpus)
  Reading<int64_t> min_khz;         // cpuinfo_min_freq
  Reading<int64_t> max_khz;         // cpuinfo_max_freq
  Reading<int64_t> current_khz;     // scaling_cur_freq
  Reading<std::string> governor;    // scaling_governor
  // scaling_available_frequencies, ascending; when the driver lists none
  // (intel_pstate, many arm64 drivers with boost) this is {min, max}.
  Reading<std::vector<int64_t>> operating_points_khz;
  bool operating_points_are_range = false;  // true when only min/max were known
};

std::vector<CpufreqPolicy> read_cpufreq_policies(const std::string& root);

}  // namespace ew::device
