#include "device/roofline.h"

#include <algorithm>
#include <set>

namespace ew {
namespace {

// Ops that only relabel memory (views) cost nothing in the runtime.
bool is_view(const std::string& op) {
  static const std::set<std::string> views{"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Constant",
                                           "Shape", "Size"};
  return views.count(op) > 0;
}

}  // namespace

ModelPrediction predict_roofline(const std::vector<OpCost>& costs, const DeviceProfile& device) {
  ModelPrediction m;
  m.device = device.name;
  const double bandwidth = device.dram_bandwidth();
  for (const OpCost& c : costs) {
    OpPrediction p{c.node, c.op_type, c.precision};
    p.exact = c.exact;
    m.exact &= c.exact;
    if (!is_view(c.op_type)) {
      const double bytes = static_cast<double>(c.bytes_read + c.bytes_written);
      const double peak = device.peak_ops(c.precision);
      p.compute_s = peak > 0 ? static_cast<double>(c.flops) / peak : 0;
      p.memory_s = bandwidth > 0 ? bytes / bandwidth : 0;
      p.latency_s = std::max(p.compute_s, p.memory_s);
      p.memory_bound = p.memory_s > p.compute_s;
      p.compute_energy_j = static_cast<double>(c.macs) * device.energy_per_mac(c.precision);
      p.memory_energy_j = bytes * device.energy_per_byte();
      p.energy_j = p.compute_energy_j + p.memory_energy_j;
      m.macs += c.macs;
      m.bytes += c.bytes_read + c.bytes_written;
    }
    m.latency_s += p.latency_s;
    m.dynamic_energy_j += p.energy_j;
    m.ops.push_back(p);
  }
  m.static_energy_j = device.static_power() * m.latency_s;
  m.energy_j = m.dynamic_energy_j + m.static_energy_j;
  return m;
}

}  // namespace ew
