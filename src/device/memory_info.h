// Memory total and available from /proc/meminfo (MemTotal, MemAvailable), in bytes.
#pragma once

#include <cstdint>
#include <string>

#include "device/reading.h"

namespace ew::device {

struct MemoryInfo {
  Reading<int64_t> total_bytes;
  Reading<int64_t> available_bytes;
};

MemoryInfo parse_meminfo(const std::string& text);
MemoryInfo read_memory_info(const std::string& root);

}  // namespace ew::device
