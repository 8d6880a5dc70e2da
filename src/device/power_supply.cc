#include "device/power_supply.h"

#include "device/sysfs.h"

namespace ew::device {

namespace {
constexpr const char* kPowerSupplyDir = "/sys/class/power_supply";
constexpr double kMicro = 1e-6;
}  // namespace

std::vector<PowerSupply> read_power_supplies(const std::string& root) {
  std::vector<PowerSupply> supplies;
  for (const std::string& name : list_entries(root, kPowerSupplyDir, "")) {
    const std::string dir = std::string(kPowerSupplyDir) + "/" + name;
    PowerSupply s;
    s.name = name;
    s.type = read_text(root, dir + "/type");
    s.status = read_text(root, dir + "/status");
    s.online = read_int(root, dir + "/online");
    s.capacity_percent = read_int(root, dir + "/capacity");
    s.energy_now_wh = read_scaled(root, dir + "/energy_now", kMicro);
    s.energy_full_wh = read_scaled(root, dir + "/energy_full", kMicro);
    s.power_now_w = read_scaled(root, dir + "/power_now", kMicro);
    s.voltage_now_v = read_scaled(root, dir + "/voltage_now", kMicro);
    s.current_now_a = read_scaled(root, dir + "/current_now", kMicro);
    supplies.push_back(std::move(s));
  }
  return supplies;
}

}  // namespace ew::device
