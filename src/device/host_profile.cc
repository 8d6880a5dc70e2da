#include "device/host_profile.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

namespace ew {
namespace {

namespace fs = std::filesystem;

// Bump when the probes change, so stale caches are re-measured.
constexpr int kHostProbeVersion = 2;  // 2: fp32 chains unrolled into registers (1 read AVX-512 at half speed)

// First value of "key : value" in a /proc text file, or "".
std::string proc_field(const char* path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) != 0) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "" : line.substr(start);
  }
  return "";
}

Quantity measured(double value, const std::string& how) { return {value, "measured on host: " + how}; }
Quantity assumed(double value, const std::string& why) { return {value, "assumption: " + why}; }

std::string fixed(double v, int digits = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

ComputeUnit host_cpu(const HostMeasurement& m) {
  ComputeUnit cpu;
  cpu.name = "cpu";
  cpu.kind = "cpu";
  cpu.description = m.cpu_name.empty() ? "host CPU" : m.cpu_name;
  std::string n = std::to_string(m.cores);
  cpu.count = measured(m.cores, "std::thread::hardware_concurrency()");
  cpu.peak_gops[Precision::kFp32] =
      measured(m.fp32_per_core.gops * m.cores, m.fp32_per_core.isa + " FMA chains, " + fixed(m.fp32_per_core.gops) +
                                                   " GFLOP/s on one core (thread CPU time, best run) x " + n + " cores");
  cpu.peak_gops[Precision::kInt8] =
      measured(m.int8_per_core.gops * m.cores, m.int8_per_core.isa + " int8 dot-product chains, " + fixed(m.int8_per_core.gops) +
                                                   " GOP/s on one core (thread CPU time, best run) x " + n + " cores");
  const std::string scale =
      " (Horowitz ISSCC 2014, 45 nm) x 0.2 for a 5 nm-class node (C*V^2 scaling) x 20 for out-of-order SIMD core "
      "overhead (instruction fetch, register file, caches); same rule as the bundled CPU profiles";
  cpu.energy_per_mac_pj[Precision::kFp32] = assumed(18.4, "fp32 mult 3.7 pJ + add 0.9 pJ" + scale);
  cpu.energy_per_mac_pj[Precision::kInt8] = assumed(1.2, "8-bit mult 0.2 pJ + 32-bit add 0.1 pJ" + scale);
  if (m.frequency_mhz > 0) {
    cpu.operating_points.push_back({m.frequency_mhz, 1.0});
    cpu.operating_points_source =
        "measured on host: frequency_mhz from /proc/cpuinfo 'cpu MHz'; voltage_v is an assumption (1.0 V, not exposed "
        "to a guest; the DVFS table itself comes from capability detection)";
  }
  return cpu;
}

void host_power_and_thermal(const HostMeasurement& m, DeviceProfile* p) {
  double cores = std::max(1, m.cores);
  p->power.tdp_w = assumed(8.0 * cores, "8 W per core, a server-class share (e.g. a 96-core EPYC 9004 at 360 W is ~3.75 W/core plus uncore and DRAM); RAPL is not readable here");
  p->power.static_w = assumed(2.0 * cores, "25% of the assumed TDP as idle/leakage power");
  p->thermal.resistance_c_per_w = assumed(55.0 / p->power.tdp_w.value, "chosen so the assumed TDP heats the die 55 C above ambient (server heatsink and airflow)");
  p->thermal.time_constant_s = assumed(60, "typical order of magnitude for a heatsinked server CPU package");
  p->thermal.ambient_c = assumed(25, "room temperature");
  p->thermal.throttle_c = assumed(95, "AMD Zen 4/Zen 5 parts list Tj max around 95 C; not readable from a guest");
  p->thermal.hysteresis_c = assumed(5, "typical thermal governor hysteresis");
  p->thermal.critical_c = assumed(105, "10 C above the throttle point");
}

std::string fingerprint(const HostMeasurement& m) {
  return m.cpu_name + "|" + std::to_string(m.cores) + "|probe" + std::to_string(kHostProbeVersion);
}

std::string current_fingerprint() {
  HostMeasurement m;
  m.cpu_name = proc_field("/proc/cpuinfo", "model name");
  m.cores = static_cast<int>(std::thread::hardware_concurrency());
  return fingerprint(m);
}

Result<DeviceProfile> read_cache(const std::string& path) {
  std::ifstream in(path);
  if (!in) return not_found("no host profile cache at " + path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return invalid_argument(path + ": not valid JSON");
  auto fp = j.find("host_fingerprint");
  if (fp == j.end() || !fp->is_string() || fp->get<std::string>() != current_fingerprint())
    return invalid_argument(path + ": made on another machine or by an older probe");
  return device_profile_from_json(j, path);
}

void write_cache(const std::string& path, const DeviceProfile& p, const std::string& print) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  nlohmann::json j = to_json(p);
  j["host_fingerprint"] = print;
  std::string tmp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp);
    if (!out) return;
    out << j.dump(2) << "\n";
    if (!out) return;
  }
  fs::rename(tmp, path, ec);
  if (ec) fs::remove(tmp, ec);
}

}  // namespace

HostMeasurement measure_host(const HostProfileOptions& o) {
  HostMeasurement m;
  m.cpu_name = proc_field("/proc/cpuinfo", "model name");
  m.cores = static_cast<int>(std::thread::hardware_concurrency());
  if (m.cores <= 0) m.cores = 1;
  m.memory_mib = std::atof(proc_field("/proc/meminfo", "MemTotal").c_str()) / 1024.0;  // kB
  m.frequency_mhz = std::atof(proc_field("/proc/cpuinfo", "cpu MHz").c_str());
  m.fp32_per_core = measure_fp32_peak(o.seconds / 2);
  m.int8_per_core = measure_int8_peak(o.seconds / 2);
  m.bandwidth_buffer_bytes = o.bandwidth_buffer_bytes;
  m.bandwidth_gb_s = measure_copy_bandwidth(o.bandwidth_buffer_bytes, o.bandwidth_repeats);
  return m;
}

Result<DeviceProfile> host_profile_from_measurement(const HostMeasurement& m) {
  DeviceProfile p;
  p.name = "host";
  p.tier = DeviceTier::kHost;
  p.description = "This machine, measured: " + (m.cpu_name.empty() ? std::string("unknown CPU") : m.cpu_name);
  p.compute_units.push_back(host_cpu(m));
  p.memory.kind = "host DRAM";
  p.memory.size_mib = measured(m.memory_mib, "/proc/meminfo MemTotal");
  p.memory.bandwidth_gb_s = measured(
      m.bandwidth_gb_s, "single-thread memcpy over " + std::to_string(m.bandwidth_buffer_bytes >> 20) +
                            " MiB, bytes read + written, best pass (one thread: below the all-core bandwidth)");
  p.memory.energy_per_byte_pj = assumed(60, "DDR4/DDR5 DIMM access incl. I/O ~7 pJ/bit; Horowitz ISSCC 2014 gives 1.3-2.6 nJ per 64-bit DRAM access for older DDR3");
  host_power_and_thermal(m, &p);
  EW_RETURN_IF_ERROR(validate_device_profile(p, "host (measured)"));
  return p;
}

std::string host_fingerprint() { return current_fingerprint(); }

std::string default_host_profile_cache_path() {
  if (const char* env = std::getenv("EW_HOST_PROFILE_CACHE"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/edgewise/host_profile.json";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/edgewise/host_profile.json";
  return "";
}

Result<DeviceProfile> load_or_measure_host_profile(const HostProfileOptions& o) {
  std::string path = o.cache_path.empty() ? default_host_profile_cache_path() : o.cache_path;
  bool use_cache = !path.empty() && path != "none";
  if (use_cache && !o.remeasure) {
    auto cached = read_cache(path);
    if (cached.is_ok()) return cached;
  }
  HostMeasurement m = measure_host(o);
  EW_ASSIGN_OR_RETURN(DeviceProfile p, host_profile_from_measurement(m));
  if (use_cache) write_cache(path, p, fingerprint(m));
  return p;
}

}  // namespace ew
