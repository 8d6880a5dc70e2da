// The "host" device profile, built by measuring this machine: one core's fp32
// FMA and int8 dot-product peak (times the core count), streaming memory
// bandwidth, core count and memory size. Numbers that cannot be measured here
// (energy per MAC and per byte, TDP, static power, thermal constants, voltage)
// are documented assumptions and say so in their source.
//
// Measuring takes about 1-2 s (0.5 s of peak probes, the rest faulting in and
// copying the 128 MiB buffer) and the result is cached as
// JSON so later runs reuse it: the first-run calibration benchmark feeds the
// host profile. The cache is keyed by a fingerprint (CPU name, core count,
// probe version); a different machine or a newer probe re-measures.
#pragma once

#include <cstddef>
#include <string>

#include "device/device_profile.h"
#include "device/host_benchmarks.h"

namespace ew {

struct HostProfileOptions {
  // Cache file. "" = default_host_profile_cache_path(); "none" = neither read nor write.
  std::string cache_path;
  bool remeasure = false;                            // ignore an existing cache (and overwrite it)
  double seconds = 0.5;                              // budget for the two peak probes
  // 128 MiB: 4x a Zen 4 CCD's 32 MiB L3. Bigger is cleaner but first-touching memory is
  // slow in this VM (~0.4 s per 128 MiB, hypervisor-bound, even with huge pages).
  size_t bandwidth_buffer_bytes = size_t{128} << 20;
  int bandwidth_repeats = 5;

  // A short measurement for tests: ~0.1 s, small buffer (which may sit in cache).
  static HostProfileOptions quick() {
    HostProfileOptions o;
    o.cache_path = "none";
    o.seconds = 0.08;
    o.bandwidth_buffer_bytes = size_t{16} << 20;
    o.bandwidth_repeats = 2;
    return o;
  }
};

struct HostMeasurement {
  std::string cpu_name;  // /proc/cpuinfo "model name"
  int cores = 0;         // std::thread::hardware_concurrency
  double memory_mib = 0; // /proc/meminfo MemTotal
  double frequency_mhz = 0;  // /proc/cpuinfo "cpu MHz" of the first CPU, 0 if absent
  PeakMeasurement fp32_per_core;
  PeakMeasurement int8_per_core;
  double bandwidth_gb_s = 0;
  size_t bandwidth_buffer_bytes = 0;
};

HostMeasurement measure_host(const HostProfileOptions& options);

// The profile for a measurement, validated.
Result<DeviceProfile> host_profile_from_measurement(const HostMeasurement& m);

// $EW_HOST_PROFILE_CACHE, else $XDG_CACHE_HOME/edgewise/host_profile.json,
// else $HOME/.cache/edgewise/host_profile.json, else "" (no cache).
std::string default_host_profile_cache_path();

// This machine's fingerprint as the cache keys it (CPU name, core count, probe
// version); other per-host caches (the latency model) use it too.
std::string host_fingerprint();

// Reads the cache when it matches this machine, else measures and writes it.
// A cache that cannot be written is not an error (the profile is still returned).
Result<DeviceProfile> load_or_measure_host_profile(const HostProfileOptions& options);

}  // namespace ew
