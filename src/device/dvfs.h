// DVFS (dynamic voltage and frequency scaling) over a compute unit's operating
// points (ComputeUnit::operating_points, frequency + voltage).
//
// CMOS dynamic power is C·V²·f and throughput is proportional to f, so at
// operating point i, relative to the top point (the one the profile's peaks
// and energies describe):
//   compute time     x f_max / f_i   (memory time does not change: DRAM keeps its clock)
//   energy per MAC   x (V_i / V_max)²
//   compute power    x (V_i / V_max)² · f_i / f_max
// Each op keeps the roofline's rule, latency = max(compute, memory), so a
// memory-bound op loses nothing until its compute time overtakes its memory
// time. Static power is the profile's board idle power at every point (an
// assumption: leakage also falls with V, which this ignores).
//
// A unit without operating points has one point, the nominal one (frequency
// unknown, 0): nothing scales and a governor cannot lower it (nominal_only).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "device/device_profile.h"
#include "device/roofline.h"

namespace ew {

struct DvfsPoint {
  double frequency_mhz = 0;  // 0 = nominal, not listed in the profile
  double voltage_v = 0;      // 0 = nominal, not listed in the profile
  double speed = 1;          // f / f_max
  double energy_scale = 1;   // (V / V_max)²
};

struct DvfsModel {
  std::string unit;               // the compute unit's name
  std::vector<DvfsPoint> points;  // ascending frequency; points.back() is the top point
  bool nominal_only = false;      // the profile lists no operating points for this unit
  int top() const { return static_cast<int>(points.size()) - 1; }
};

// The DVFS model of one unit of the profile; errors name a missing unit or a
// table with non-positive or unordered entries.
Result<DvfsModel> dvfs_model(const DeviceProfile& profile, const std::string& unit_name);

// The unit a prediction spends the most compute time on (ties and an empty
// prediction: the profile's first unit). That is the unit whose clock matters.
std::string dominant_unit(const ModelPrediction& prediction, const DeviceProfile& profile);

// One model inference at one operating point. power_w is the mean over the
// inference, static included: energy_j / latency_s.
struct PointPrediction {
  DvfsPoint point;
  double latency_s = 0, dynamic_energy_j = 0, static_energy_j = 0, energy_j = 0, power_w = 0;
};

// `top` is the roofline prediction (at the top point) on `profile`; ops that
// run on dvfs.unit are scaled, ops on other units are not. `point` is clamped
// to the table.
PointPrediction predict_at_point(const ModelPrediction& top, const DeviceProfile& profile, const DvfsModel& dvfs,
                                 int point);
// predict_at_point for every point, lowest frequency first.
std::vector<PointPrediction> predict_dvfs(const ModelPrediction& top, const DeviceProfile& profile,
                                          const DvfsModel& dvfs);

// The unit's own table: energy per MAC (J) and compute power at its full MAC
// rate (W, dynamic only) for each precision the unit runs natively, per point.
struct DvfsRow {
  DvfsPoint point;
  std::map<Precision, double> energy_per_mac_j;
  std::map<Precision, double> full_rate_power_w;
};
Result<std::vector<DvfsRow>> dvfs_unit_table(const DeviceProfile& profile, const std::string& unit_name);

}  // namespace ew
