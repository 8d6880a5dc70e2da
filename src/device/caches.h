// CPU caches of cpu0 from /sys/devices/system/cpu/cpu0/cache/index*/ (level,
// type, size, shared_cpu_list), or from libcpuinfo on the live machine.
// On big.LITTLE SoCs cpu0 is usually a little core; the sizes are its caches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "device/cpuinfo_text.h"
#include "device/reading.h"

namespace ew::device {

struct CacheLevel {
  int level = 0;
  std::string type;             // "Data", "Instruction", "Unified"
  Reading<int64_t> size_bytes;  // one instance
  int shared_by_cpus = 0;       // 0 when unknown
};

struct CacheInfo {
  std::vector<CacheLevel> levels;
  std::string note;  // why there are none, when empty
  // Size of the first cache matching (level, data-or-unified), unknown if absent.
  Reading<int64_t> data_size(int level) const;
};

CacheInfo read_caches(const std::string& root);
// Replaces the sysfs view with libcpuinfo's L1d/L1i/L2/L3 when it has caches.
void overlay_caches_from_library(CacheInfo& caches);
// Last resort on x86 when sysfs and libcpuinfo have nothing (VMs): the
// /proc/cpuinfo "cache size" line, which is the L2 per core on AMD and the L3
// on Intel. Leaves `caches` alone when it already has levels.
void caches_from_cpuinfo_text(CacheInfo& caches, const CpuInfoText& cpuinfo);

// "32K" / "1024K" / "8M" / "512" -> bytes.
std::optional<int64_t> parse_cache_size(const std::string& text);

}  // namespace ew::device
