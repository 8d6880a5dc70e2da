// Thermal zones and their trip points from /sys/class/thermal/thermal_zoneN/,
// in degrees Celsius (sysfs writes millidegrees). The "passive" trip is where
// the kernel starts throttling; "critical" is where it shuts down.
#pragma once

#include <string>
#include <vector>

#include "device/reading.h"

namespace ew::device {

struct TripPoint {
  int index = 0;
  Reading<std::string> type;  // "passive", "active", "hot", "critical"
  Reading<double> temp_c;
};

struct ThermalZone {
  std::string name;           // "thermal_zone0"
  Reading<std::string> type;  // "cpu-thermal", "x86_pkg_temp", ...
  Reading<double> temp_c;
  std::vector<TripPoint> trips;
};

std::vector<ThermalZone> read_thermal_zones(const std::string& root);

}  // namespace ew::device
