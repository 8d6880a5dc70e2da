// validate_device_profile: ranges, ordering and provenance of every number.
#include <cmath>
#include <set>

#include "device/device_profile.h"

namespace ew {
namespace {

class Checker {
 public:
  explicit Checker(std::string origin) : origin_(std::move(origin)) {}

  Status fail(const std::string& field, const std::string& what) const {
    return invalid_argument(origin_ + ": " + field + ": " + what);
  }

  // A number must be finite, inside (lo, hi] (or [lo, hi] if allow_lo), and cite a source.
  Status quantity(const Quantity& q, const std::string& field, double lo, double hi, bool allow_lo = false) const {
    if (q.source.empty()) return fail(field, "missing provenance (\"source\": URL/document, \"measured on host\" or \"assumption: ...\")");
    if (!std::isfinite(q.value)) return fail(field, "value is not a finite number");
    bool above = allow_lo ? q.value >= lo : q.value > lo;
    if (!above || q.value > hi)
      return fail(field, "value " + std::to_string(q.value) + " out of range " + (allow_lo ? "[" : "(") +
                             std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return Status::ok();
  }

 private:
  std::string origin_;
};

Status check_points(const Checker& c, const ComputeUnit& u, const std::string& field) {
  if (u.operating_points.empty()) return Status::ok();
  if (u.operating_points_source.empty()) return c.fail(field + ".source", "missing provenance for the operating point table");
  for (size_t i = 0; i < u.operating_points.size(); ++i) {
    const OperatingPoint& op = u.operating_points[i];
    std::string f = field + ".points[" + std::to_string(i) + "]";
    if (!(op.frequency_mhz > 0 && op.frequency_mhz < 1e5)) return c.fail(f + ".frequency_mhz", "must be in (0, 100000)");
    if (!(op.voltage_v > 0 && op.voltage_v < 5)) return c.fail(f + ".voltage_v", "must be in (0, 5)");
    if (i == 0) continue;
    const OperatingPoint& prev = u.operating_points[i - 1];
    if (op.frequency_mhz <= prev.frequency_mhz) return c.fail(f + ".frequency_mhz", "frequencies must strictly increase");
    if (op.voltage_v < prev.voltage_v) return c.fail(f + ".voltage_v", "voltage must not fall as frequency rises");
  }
  return Status::ok();
}

Status check_unit(const Checker& c, const ComputeUnit& u, const std::string& field) {
  if (u.name.empty()) return c.fail(field + ".name", "empty");
  static const std::set<std::string> kinds = {"cpu", "gpu", "npu", "tpu", "dsp"};
  if (!kinds.count(u.kind)) return c.fail(field + ".kind", "'" + u.kind + "' is not one of cpu, gpu, npu, tpu, dsp");
  EW_RETURN_IF_ERROR(c.quantity(u.count, field + ".count", 0, 1e6));
  if (u.peak_gops.empty()) return c.fail(field + ".peak_gops", "no precision listed");
  for (const auto& [p, q] : u.peak_gops) {
    EW_RETURN_IF_ERROR(c.quantity(q, field + ".peak_gops." + precision_name(p), 0, 1e7));
    auto e = u.energy_per_mac_pj.find(p);
    if (e == u.energy_per_mac_pj.end())
      return c.fail(field + ".energy_per_mac_pj." + precision_name(p), "missing (every precision with a peak needs an energy)");
  }
  for (const auto& [p, q] : u.energy_per_mac_pj) {
    if (!u.peak_gops.count(p)) return c.fail(field + ".energy_per_mac_pj." + precision_name(p), "energy given for a precision with no peak");
    EW_RETURN_IF_ERROR(c.quantity(q, field + ".energy_per_mac_pj." + precision_name(p), 0, 1e5));
  }
  return check_points(c, u, field + ".operating_points");
}

Status check_thermal(const Checker& c, const ThermalSpec& t) {
  EW_RETURN_IF_ERROR(c.quantity(t.resistance_c_per_w, "thermal.resistance_c_per_w", 0, 1e4));
  EW_RETURN_IF_ERROR(c.quantity(t.time_constant_s, "thermal.time_constant_s", 0, 1e6));
  EW_RETURN_IF_ERROR(c.quantity(t.ambient_c, "thermal.ambient_c", -60, 80, true));
  EW_RETURN_IF_ERROR(c.quantity(t.throttle_c, "thermal.throttle_c", -60, 200));
  EW_RETURN_IF_ERROR(c.quantity(t.hysteresis_c, "thermal.hysteresis_c", 0, 100));
  EW_RETURN_IF_ERROR(c.quantity(t.critical_c, "thermal.critical_c", -60, 250));
  if (t.throttle_c.value - t.hysteresis_c.value <= t.ambient_c.value)
    return c.fail("thermal.hysteresis_c", "recovery temperature (throttle_c - hysteresis_c) must be above ambient_c");
  if (t.critical_c.value <= t.throttle_c.value) return c.fail("thermal.critical_c", "must be above throttle_c");
  return Status::ok();
}

}  // namespace

Status validate_device_profile(const DeviceProfile& p, const std::string& origin) {
  Checker c(origin);
  if (p.schema_version != kDeviceProfileSchemaVersion)
    return c.fail("schema_version", "is " + std::to_string(p.schema_version) + ", this build reads " +
                                        std::to_string(kDeviceProfileSchemaVersion));
  if (p.name.empty()) return c.fail("name", "empty");
  if (p.compute_units.empty()) return c.fail("compute_units", "empty");
  std::set<std::string> names;
  for (size_t i = 0; i < p.compute_units.size(); ++i) {
    std::string field = "compute_units[" + std::to_string(i) + "]";
    EW_RETURN_IF_ERROR(check_unit(c, p.compute_units[i], field));
    if (!names.insert(p.compute_units[i].name).second) return c.fail(field + ".name", "duplicate unit name '" + p.compute_units[i].name + "'");
  }
  if (!p.has_native(Precision::kFp32) && !p.has_native(Precision::kInt8))
    return c.fail("compute_units", "no unit lists an fp32 or int8 peak");
  EW_RETURN_IF_ERROR(c.quantity(p.memory.size_mib, "memory.size_mib", 0, 1e8));
  EW_RETURN_IF_ERROR(c.quantity(p.memory.bandwidth_gb_s, "memory.bandwidth_gb_s", 0, 1e5));
  EW_RETURN_IF_ERROR(c.quantity(p.memory.energy_per_byte_pj, "memory.energy_per_byte_pj", 0, 1e5));
  EW_RETURN_IF_ERROR(c.quantity(p.power.tdp_w, "power.tdp_w", 0, 1e4));
  EW_RETURN_IF_ERROR(c.quantity(p.power.static_w, "power.static_w", 0, 1e4, true));
  if (p.power.static_w.value >= p.power.tdp_w.value) return c.fail("power.static_w", "must be below power.tdp_w");
  return check_thermal(c, p.thermal);
}

}  // namespace ew
