// Batteries and mains adapters from /sys/class/power_supply/*/. Units are
// converted from the kernel's micro-units: energy in Wh, power in W, voltage
// in V, current in A. Desktops, servers and most dev boards have none.
#pragma once

#include <string>
#include <vector>

#include "device/reading.h"

namespace ew::device {

struct PowerSupply {
  std::string name;              // "BAT0", "AC"
  Reading<std::string> type;     // "Battery", "Mains", "USB"
  Reading<std::string> status;   // "Charging", "Discharging", "Full", ...
  Reading<int64_t> online;       // 1 when a mains/USB supply is plugged in
  Reading<int64_t> capacity_percent;
  Reading<double> energy_now_wh;
  Reading<double> energy_full_wh;
  Reading<double> power_now_w;
  Reading<double> voltage_now_v;
  Reading<double> current_now_a;
};

std::vector<PowerSupply> read_power_supplies(const std::string& root);

}  // namespace ew::device
