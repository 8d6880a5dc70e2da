#include "device/cpufreq.h"

#include <algorithm>

#include "device/sysfs.h"

namespace ew::device {

namespace {

constexpr const char* kCpufreqDir = "/sys/devices/system/cpu/cpufreq";

Reading<std::vector<int64_t>> operating_points(const std::string& root, const std::string& dir, CpufreqPolicy& p) {
  auto listed = read_int_list(root, dir + "/scaling_available_frequencies");
  if (listed.known() && !listed.value.empty()) {
    std::sort(listed.value.begin(), listed.value.end());
    listed.value.erase(std::unique(listed.value.begin(), listed.value.end()), listed.value.end());
    return listed;
  }
  if (p.min_khz.known() && p.max_khz.known()) {
    p.operating_points_are_range = true;
    std::vector<int64_t> range = {p.min_khz.value};
    if (p.max_khz.value != p.min_khz.value) range.push_back(p.max_khz.value);
    return known_reading(std::move(range), Provenance::kRead, dir + "/cpuinfo_{min,max}_freq");
  }
  return listed;
}

}  // namespace

std::vector<CpufreqPolicy> read_cpufreq_policies(const std::string& root) {
  std::vector<CpufreqPolicy> policies;
  for (const std::string& name : list_entries(root, kCpufreqDir, "policy")) {
    const std::string dir = std::string(kCpufreqDir) + "/" + name;
    CpufreqPolicy p;
    p.name = name;
    p.cpus = read_cpu_list(root, dir + "/related_cpus");
    if (p.cpus.provenance == Provenance::kUnknown) p.cpus = read_cpu_list(root, dir + "/affected_cpus");
    p.min_khz = read_int(root, dir + "/cpuinfo_min_freq");
    p.max_khz = read_int(root, dir + "/cpuinfo_max_freq");
    p.current_khz = read_int(root, dir + "/scaling_cur_freq");
    p.governor = read_text(root, dir + "/scaling_governor");
    p.operating_points_khz = operating_points(root, dir, p);
    policies.push_back(std::move(p));
  }
  return policies;
}

}  // namespace ew::device
