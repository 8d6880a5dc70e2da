#include "device/device_profile.h"

#include <algorithm>
#include <cmath>

namespace ew {

const char* precision_name(Precision p) {
  switch (p) {
#define EW_PRECISION_CASE(id, name) \
  case Precision::id:               \
    return name;
    EW_PRECISION_LIST(EW_PRECISION_CASE)
#undef EW_PRECISION_CASE
  }
  return "?";
}

const std::vector<Precision>& all_precisions() {
  static const std::vector<Precision> list = {
#define EW_PRECISION_ITEM(id, name) Precision::id,
      EW_PRECISION_LIST(EW_PRECISION_ITEM)
#undef EW_PRECISION_ITEM
  };
  return list;
}

Result<Precision> parse_precision(const std::string& name) {
  for (Precision p : all_precisions())
    if (name == precision_name(p)) return p;
  return invalid_argument("unknown precision '" + name + "' (expected fp32, fp16, int8 or int4)");
}

const char* tier_name(DeviceTier tier) {
  switch (tier) {
    case DeviceTier::kHighEnd: return "high_end";
    case DeviceTier::kMidRange: return "mid_range";
    case DeviceTier::kConstrained: return "constrained";
    case DeviceTier::kHost: return "host";
  }
  return "?";
}

namespace {

// int4 → int8 → fp16 → fp32; fp32 has no wider fallback.
bool wider(Precision p, Precision* out) {
  switch (p) {
    case Precision::kInt4: *out = Precision::kInt8; return true;
    case Precision::kInt8: *out = Precision::kFp16; return true;
    case Precision::kFp16: *out = Precision::kFp32; return true;
    case Precision::kFp32: return false;
  }
  return false;
}

const ComputeUnit* best_native(const std::vector<ComputeUnit>& units, Precision p) {
  const ComputeUnit* best = nullptr;
  double best_peak = 0;
  for (const ComputeUnit& u : units) {
    auto it = u.peak_gops.find(p);
    if (it != u.peak_gops.end() && it->second.value > best_peak) {
      best = &u;
      best_peak = it->second.value;
    }
  }
  return best;
}

// Each unit runs p natively or at its first wider precision; the fastest unit wins.
struct Choice {
  const ComputeUnit* unit = nullptr;
  Precision precision = Precision::kFp32;
  double gops = 0;
};

Choice choose(const std::vector<ComputeUnit>& units, Precision p) {
  Choice best;
  for (const ComputeUnit& u : units) {
    Precision q = p;
    for (;;) {
      auto it = u.peak_gops.find(q);
      if (it != u.peak_gops.end()) {
        if (it->second.value > best.gops) best = {&u, q, it->second.value};
        break;
      }
      if (!wider(q, &q)) break;
    }
  }
  return best;
}

}  // namespace

const ComputeUnit* DeviceProfile::unit_for(Precision p) const { return choose(compute_units, p).unit; }

Precision DeviceProfile::runs_as(Precision p) const {
  Choice c = choose(compute_units, p);
  return c.unit ? c.precision : p;
}

const ComputeUnit* DeviceProfile::unit(const std::string& unit_name) const {
  for (const ComputeUnit& u : compute_units)
    if (u.name == unit_name) return &u;
  return nullptr;
}

bool DeviceProfile::has_native(Precision p) const { return best_native(compute_units, p) != nullptr; }

double DeviceProfile::peak_ops(Precision p) const { return choose(compute_units, p).gops * 1e9; }

double DeviceProfile::energy_per_mac(Precision p) const {
  Choice c = choose(compute_units, p);
  if (!c.unit) return 0.0;
  auto it = c.unit->energy_per_mac_pj.find(c.precision);
  return it == c.unit->energy_per_mac_pj.end() ? 0.0 : it->second.value * 1e-12;
}

double DeviceProfile::dram_bandwidth() const { return memory.bandwidth_gb_s.value * 1e9; }
double DeviceProfile::memory_bytes() const { return memory.size_mib.value * 1024.0 * 1024.0; }
double DeviceProfile::energy_per_byte() const { return memory.energy_per_byte_pj.value * 1e-12; }
double DeviceProfile::static_power() const { return power.static_w.value; }
double DeviceProfile::tdp() const { return power.tdp_w.value; }

const std::vector<OperatingPoint>& DeviceProfile::operating_points() const {
  static const std::vector<OperatingPoint> none;
  if (const ComputeUnit* cpu = unit("cpu"); cpu && !cpu->operating_points.empty()) return cpu->operating_points;
  for (const ComputeUnit& u : compute_units)
    if (!u.operating_points.empty()) return u.operating_points;
  return none;
}

}  // namespace ew
