// DeviceCapabilities: what this machine can tell us about itself.
//
// detect_capabilities() reads /proc and /sys under DetectOptions::root (a
// fixture tree in tests) and, on the live machine, asks libcpuinfo for ISA
// features, core counts and caches. Every value is a Reading that says
// whether it was read or is unknown and why; absent and unreadable files are
// the normal case on VMs and containers, never an error.
#pragma once

#include <string>
#include <vector>

#include "device/caches.h"
#include "device/cpu_topology.h"
#include "device/cpufreq.h"
#include "device/cpuinfo_text.h"
#include "device/isa_features.h"
#include "device/memory_info.h"
#include "device/power_supply.h"
#include "device/rapl.h"
#include "device/thermal.h"

namespace ew::device {

struct DetectOptions {
  // Prefix for /proc and /sys: "/" for the live machine, a fixture directory in tests.
  std::string root = "/";
  // Ask libcpuinfo (ISA, core counts, caches). Only honoured when root is "/":
  // the library always describes the machine it runs on.
  bool use_cpuinfo_library = true;
};

struct CpuDescription {
  Reading<std::string> model_name;
  Reading<std::string> vendor;
  CpuArch arch = CpuArch::kUnknown;
  std::vector<IsaFeature> isa;
};

struct DeviceCapabilities {
  std::string root;  // where it was read from
  CpuDescription cpu;
  CpuTopology topology;
  CacheInfo caches;
  MemoryInfo memory;
  std::vector<CpufreqPolicy> cpufreq;
  std::vector<PowerSupply> power_supplies;
  std::vector<ThermalZone> thermal_zones;
  std::vector<RaplZone> rapl;
  // Unparsed/unreadable notes gathered from all readings, for a reader's eye.
  std::vector<std::string> notes;
};

DeviceCapabilities detect_capabilities(const DetectOptions& options = {});

}  // namespace ew::device
