// Roofline latency and energy of a model on a device profile: each op takes
// the longer of its compute time (FLOPs / the profile's peak at the op's
// precision) and its memory time (bytes in and out / DRAM bandwidth); energy
// is MACs x energy per MAC + bytes x energy per byte, plus static power over
// the whole run (P_total = P_compute + P_memory + P_static). An optimistic
// bound: it assumes peak throughput and no cache reuse across ops.
#pragma once

#include <string>
#include <vector>

#include "device/op_cost.h"

namespace ew {

struct OpPrediction {
  std::string node, op_type;
  Precision precision = Precision::kFp32;
  double compute_s = 0, memory_s = 0, latency_s = 0;
  double energy_j = 0;  // dynamic: compute + memory
  double compute_energy_j = 0, memory_energy_j = 0;  // the two parts of energy_j (DVFS scales the first)
  bool memory_bound = false;
  bool exact = true;
};

struct ModelPrediction {
  std::string device;
  std::vector<OpPrediction> ops;
  double latency_s = 0;
  double dynamic_energy_j = 0, static_energy_j = 0, energy_j = 0;
  int64_t macs = 0, bytes = 0;
  bool exact = true;  // false when some op's cost was a lower bound
};

ModelPrediction predict_roofline(const std::vector<OpCost>& costs, const DeviceProfile& device);

}  // namespace ew
