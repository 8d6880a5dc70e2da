#include "device/dvfs.h"

#include <algorithm>

namespace ew {

Result<DvfsModel> dvfs_model(const DeviceProfile& profile, const std::string& unit_name) {
  const ComputeUnit* unit = profile.unit(unit_name);
  if (!unit) return not_found("device profile '" + profile.name + "' has no compute unit '" + unit_name + "'");
  DvfsModel m;
  m.unit = unit_name;
  if (unit->operating_points.empty()) {
    m.nominal_only = true;
    m.points.push_back(DvfsPoint{});
    return m;
  }
  const OperatingPoint& top = unit->operating_points.back();
  double last_f = 0;
  for (const OperatingPoint& op : unit->operating_points) {
    if (!(op.frequency_mhz > last_f) || !(op.voltage_v > 0) || op.voltage_v > top.voltage_v)
      return invalid_argument("device profile '" + profile.name + "', unit '" + unit_name +
                              "': operating points need increasing positive frequencies and positive voltages "
                              "no higher than the top point's");
    last_f = op.frequency_mhz;
    const double v = op.voltage_v / top.voltage_v;
    m.points.push_back({op.frequency_mhz, op.voltage_v, op.frequency_mhz / top.frequency_mhz, v * v});
  }
  return m;
}

std::string dominant_unit(const ModelPrediction& prediction, const DeviceProfile& profile) {
  std::map<std::string, double> seconds;
  for (const OpPrediction& o : prediction.ops)
    if (const ComputeUnit* u = profile.unit_for(o.precision)) seconds[u->name] += o.compute_s;
  std::string best = profile.compute_units.empty() ? "" : profile.compute_units.front().name;
  double best_s = 0;
  for (const ComputeUnit& u : profile.compute_units)  // profile order breaks ties
    if (seconds[u.name] > best_s) best = u.name, best_s = seconds[u.name];
  return best;
}

PointPrediction predict_at_point(const ModelPrediction& top, const DeviceProfile& profile, const DvfsModel& dvfs,
                                 int point) {
  PointPrediction r;
  if (dvfs.points.empty()) return r;
  r.point = dvfs.points[std::clamp(point, 0, dvfs.top())];
  for (const OpPrediction& o : top.ops) {
    const ComputeUnit* u = profile.unit_for(o.precision);
    const bool scaled = u && u->name == dvfs.unit;
    const double compute_s = scaled ? o.compute_s / r.point.speed : o.compute_s;
    const double compute_j = scaled ? o.compute_energy_j * r.point.energy_scale : o.compute_energy_j;
    r.latency_s += std::max(compute_s, o.memory_s);
    r.dynamic_energy_j += compute_j + o.memory_energy_j;
  }
  r.static_energy_j = profile.static_power() * r.latency_s;
  r.energy_j = r.dynamic_energy_j + r.static_energy_j;
  r.power_w = r.latency_s > 0 ? r.energy_j / r.latency_s : profile.static_power();
  return r;
}

std::vector<PointPrediction> predict_dvfs(const ModelPrediction& top, const DeviceProfile& profile,
                                          const DvfsModel& dvfs) {
  std::vector<PointPrediction> rows;
  for (int i = 0; i <= dvfs.top(); ++i) rows.push_back(predict_at_point(top, profile, dvfs, i));
  return rows;
}

Result<std::vector<DvfsRow>> dvfs_unit_table(const DeviceProfile& profile, const std::string& unit_name) {
  EW_ASSIGN_OR_RETURN(DvfsModel m, dvfs_model(profile, unit_name));
  const ComputeUnit& unit = *profile.unit(unit_name);
  std::vector<DvfsRow> rows;
  for (const DvfsPoint& p : m.points) {
    DvfsRow row{p};
    for (const auto& [precision, pj] : unit.energy_per_mac_pj) {
      const double mac_j = pj.value * 1e-12 * p.energy_scale;
      row.energy_per_mac_j[precision] = mac_j;
      auto peak = unit.peak_gops.find(precision);
      const double macs_per_s = peak == unit.peak_gops.end() ? 0 : peak->second.value * 1e9 / 2 * p.speed;
      row.full_rate_power_w[precision] = mac_j * macs_per_s;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace ew
