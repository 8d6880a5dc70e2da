// Logical CPUs, physical cores and clusters (CPUs that share a clock domain:
// big.LITTLE groups on Arm SoCs).
//
// Clusters come from cpufreq policies when the kernel has them (each policy is
// one clock domain); else from the Arm core type in /proc/cpuinfo; else, on the
// live machine, from libcpuinfo; else all CPUs form one cluster of unknown
// frequency.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "device/cpufreq.h"
#include "device/cpuinfo_text.h"
#include "device/reading.h"

namespace ew::device {

struct CpuCluster {
  std::vector<int> cpus;
  std::string core_name;       // "Cortex-A72" when known
  Reading<int64_t> max_khz;    // highest frequency of the cluster
  std::string basis;           // "cpufreq policy0", "core type", "libcpuinfo", "assumed: one cluster"
};

struct CpuTopology {
  Reading<int> logical_cpus;
  Reading<int> physical_cores;
  std::vector<CpuCluster> clusters;
};

CpuTopology read_cpu_topology(const std::string& root, const CpuInfoText& cpuinfo,
                              const std::vector<CpufreqPolicy>& policies);
// Fills counts sysfs could not give from libcpuinfo, and takes its clusters when
// sysfs gave none and libcpuinfo sees cores of different kinds or frequencies.
void overlay_topology_from_library(CpuTopology& topology);

}  // namespace ew::device
