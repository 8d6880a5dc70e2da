#include "device/memory_info.h"

#include <sstream>

#include "device/sysfs.h"

namespace ew::device {

namespace {

// "MemTotal:        3884096 kB" -> bytes.
Reading<int64_t> meminfo_field(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream fields(line.substr(key.size() + 1));
    std::string number, unit;
    fields >> number >> unit;
    auto v = parse_int(number);
    int64_t scale = unit == "kB" ? 1024 : unit.empty() ? 1 : 0;
    Reading<int64_t> r;
    if (!v || *v < 0 || scale == 0 || *v > INT64_MAX / 1024) {
      r.provenance = Provenance::kUnparsed;
      r.note = unparsed_note("/proc/meminfo", line);
      return r;
    }
    return known_reading(*v * scale, Provenance::kRead, "/proc/meminfo");
  }
  Reading<int64_t> r;
  r.note = "no " + key + " line in /proc/meminfo";
  return r;
}

}  // namespace

MemoryInfo parse_meminfo(const std::string& text) {
  return {meminfo_field(text, "MemTotal"), meminfo_field(text, "MemAvailable")};
}

MemoryInfo read_memory_info(const std::string& root) {
  auto text = read_text(root, "/proc/meminfo");
  if (!text.known()) return {unknown_like<int64_t>(text), unknown_like<int64_t>(text)};
  return parse_meminfo(text.value);
}

}  // namespace ew::device
