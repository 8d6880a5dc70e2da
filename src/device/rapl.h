// RAPL energy counters (Intel, and AMD Zen with the same interface) from
// /sys/class/powercap/intel-rapl:N and their sub-zones intel-rapl:N:M.
//
// energy_uj is a free-running counter in microjoules that wraps at
// max_energy_range_uj, and since 2020 kernels make it root-only: an
// unreadable counter is a normal state, not an error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "device/reading.h"

namespace ew::device {

struct RaplZone {
  std::string id;                  // "intel-rapl:0", "intel-rapl:0:0"
  std::string path;                // absolute on the device, without the root prefix
  Reading<std::string> name;       // "package-0", "core", "uncore", "dram", "psys"
  Reading<int64_t> energy_uj;
  Reading<int64_t> max_energy_range_uj;
  bool readable() const { return energy_uj.known(); }
};

std::vector<RaplZone> read_rapl_zones(const std::string& root);

// Energy between two reads of a counter that wraps at `max_range_uj`
// (it returns to 0 after reaching max_range_uj; the convention of powercap
// tools: delta = max - before + after). A later value below the earlier one
// is taken as exactly one wrap.
Result<int64_t> rapl_energy_delta_uj(int64_t before_uj, int64_t after_uj, int64_t max_range_uj);

// Reads one zone's counter repeatedly and returns the energy since start().
class RaplCounter {
 public:
  RaplCounter(std::string root, std::string zone_path) : root_(std::move(root)), path_(std::move(zone_path)) {}
  // Takes the first reading; fails when energy_uj or max_energy_range_uj is unreadable.
  Status start();
  // Energy in microjoules since start(), accumulated over all calls.
  // Call often enough that the counter wraps at most once in between
  // (a package counter wraps in tens of minutes at full load).
  Result<int64_t> elapsed_uj();

 private:
  Result<int64_t> read_counter() const;
  std::string root_, path_;
  int64_t max_range_uj_ = 0, last_uj_ = 0, total_uj_ = 0;
  bool started_ = false;
};

}  // namespace ew::device
