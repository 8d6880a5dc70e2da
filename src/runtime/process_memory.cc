#include "runtime/process_memory.h"

#include <fstream>
#include <sstream>
#include <string>

namespace ew {

namespace {
// Reads a "Field:   1234 kB" line of /proc/self/status.
int64_t status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) != 0) continue;
    std::istringstream ss(line.substr(field.size() + 1));
    int64_t kib = 0;
    ss >> kib;
    return kib;
  }
  return 0;
}
}  // namespace

int64_t peak_rss_bytes() { return status_kib("VmHWM") * 1024; }
int64_t current_rss_bytes() { return status_kib("VmRSS") * 1024; }

}  // namespace ew
