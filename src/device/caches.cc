#include "device/caches.h"

#include <cpuinfo.h>

#include "device/sysfs.h"

namespace ew::device {

namespace {

constexpr const char* kCacheDir = "/sys/devices/system/cpu/cpu0/cache";

void add_library_level(CacheInfo& info, int level, const char* type, const cpuinfo_cache* c) {
  if (!c || c->size == 0) return;
  CacheLevel l;
  l.level = level;
  l.type = type;
  l.size_bytes = known_reading(static_cast<int64_t>(c->size), Provenance::kLibrary, "libcpuinfo");
  l.shared_by_cpus = static_cast<int>(c->processor_count);
  info.levels.push_back(std::move(l));
}

}  // namespace

std::optional<int64_t> parse_cache_size(const std::string& text) {
  if (text.empty()) return std::nullopt;
  int64_t scale = 1;
  std::string digits = text;
  char unit = digits.back();
  if (unit == 'K' || unit == 'k') scale = 1024;
  if (unit == 'M' || unit == 'm') scale = 1024 * 1024;
  if (scale != 1) digits.pop_back();
  auto v = parse_int(digits);
  if (!v || *v < 0 || *v > (INT64_MAX / scale)) return std::nullopt;
  return *v * scale;
}

Reading<int64_t> CacheInfo::data_size(int level) const {
  for (const CacheLevel& l : levels)
    if (l.level == level && l.type != "Instruction") return l.size_bytes;
  Reading<int64_t> r;
  r.note = "no L" + std::to_string(level) + " data cache listed";
  return r;
}

CacheInfo read_caches(const std::string& root) {
  CacheInfo info;
  for (const std::string& name : list_entries(root, kCacheDir, "index")) {
    const std::string dir = std::string(kCacheDir) + "/" + name;
    auto level = read_int(root, dir + "/level");
    auto type = read_text(root, dir + "/type");
    if (!level.known() || !type.known()) continue;
    CacheLevel l;
    l.level = static_cast<int>(level.value);
    l.type = type.value;
    auto size = read_text(root, dir + "/size");
    if (!size.known()) {
      l.size_bytes = unknown_like<int64_t>(size);
    } else if (auto bytes = parse_cache_size(size.value)) {
      l.size_bytes = known_reading(*bytes, Provenance::kRead, dir + "/size");
    } else {
      l.size_bytes.provenance = Provenance::kUnparsed;
      l.size_bytes.note = unparsed_note(dir + "/size", size.value);
    }
    auto shared = read_cpu_list(root, dir + "/shared_cpu_list");
    l.shared_by_cpus = shared.known() ? static_cast<int>(shared.value.size()) : 0;
    info.levels.push_back(std::move(l));
  }
  if (info.levels.empty()) info.note = std::string("absent: ") + kCacheDir;
  return info;
}

void overlay_caches_from_library(CacheInfo& caches) {
  if (!cpuinfo_initialize()) return;
  CacheInfo lib;
  add_library_level(lib, 1, "Data", cpuinfo_get_l1d_caches_count() ? cpuinfo_get_l1d_cache(0) : nullptr);
  add_library_level(lib, 1, "Instruction", cpuinfo_get_l1i_caches_count() ? cpuinfo_get_l1i_cache(0) : nullptr);
  add_library_level(lib, 2, "Unified", cpuinfo_get_l2_caches_count() ? cpuinfo_get_l2_cache(0) : nullptr);
  add_library_level(lib, 3, "Unified", cpuinfo_get_l3_caches_count() ? cpuinfo_get_l3_cache(0) : nullptr);
  if (!lib.levels.empty()) caches = std::move(lib);
}

}  // namespace ew::device

namespace ew::device {

void caches_from_cpuinfo_text(CacheInfo& caches, const CpuInfoText& cpuinfo) {
  if (!caches.levels.empty() || cpuinfo.cache_size.empty()) return;
  int level = cpuinfo.vendor == "AuthenticAMD" ? 2 : cpuinfo.vendor == "GenuineIntel" ? 3 : 0;
  if (level == 0) return;
  std::string text = cpuinfo.cache_size;  // "1024 KB"
  auto space = text.find(' ');
  if (space != std::string::npos && text.substr(space + 1) == "KB") text = text.substr(0, space) + "K";
  CacheLevel l;
  l.level = level;
  l.type = "Unified";
  if (auto bytes = parse_cache_size(text)) {
    l.size_bytes = known_reading(*bytes, Provenance::kRead, "/proc/cpuinfo 'cache size'");
  } else {
    l.size_bytes.provenance = Provenance::kUnparsed;
    l.size_bytes.note = unparsed_note("/proc/cpuinfo 'cache size'", cpuinfo.cache_size);
  }
  caches.levels.push_back(std::move(l));
  caches.note = "only the level /proc/cpuinfo reports ('cache size')";
}

}  // namespace ew::device
