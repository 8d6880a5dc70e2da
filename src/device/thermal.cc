#include "device/thermal.h"

#include "device/sysfs.h"

namespace ew::device {

namespace {

constexpr const char* kThermalDir = "/sys/class/thermal";
constexpr double kMilli = 1e-3;
constexpr int kMaxTrips = 64;

std::vector<TripPoint> read_trips(const std::string& root, const std::string& dir) {
  std::vector<TripPoint> trips;
  for (int k = 0; k < kMaxTrips; ++k) {
    const std::string prefix = dir + "/trip_point_" + std::to_string(k) + "_";
    if (!path_exists(root, prefix + "temp") && !path_exists(root, prefix + "type")) break;
    TripPoint t;
    t.index = k;
    t.type = read_text(root, prefix + "type");
    t.temp_c = read_scaled(root, prefix + "temp", kMilli);
    trips.push_back(std::move(t));
  }
  return trips;
}

}  // namespace

std::vector<ThermalZone> read_thermal_zones(const std::string& root) {
  std::vector<ThermalZone> zones;
  for (const std::string& name : list_entries(root, kThermalDir, "thermal_zone")) {
    const std::string dir = std::string(kThermalDir) + "/" + name;
    ThermalZone z;
    z.name = name;
    z.type = read_text(root, dir + "/type");
    z.temp_c = read_scaled(root, dir + "/temp", kMilli);
    z.trips = read_trips(root, dir);
    zones.push_back(std::move(z));
  }
  return zones;
}

}  // namespace ew::device
