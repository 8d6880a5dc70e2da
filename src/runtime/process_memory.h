// Resident memory of this process, from /proc/self/status (Linux). Both
// return 0 where that file or field is unavailable.
#pragma once

#include <cstdint>

namespace ew {

int64_t peak_rss_bytes();     // VmHWM: the high-water mark of resident memory
int64_t current_rss_bytes();  // VmRSS

}  // namespace ew
