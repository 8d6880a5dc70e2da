#include "device/capabilities_json.h"

namespace ew::device {

namespace {

using nlohmann::json;

template <typename T>
json reading(const Reading<T>& r) {
  json j;
  j["value"] = r.known() ? json(r.value) : json(nullptr);
  j["source"] = provenance_name(r.provenance);
  if (!r.known() && !r.note.empty()) j["note"] = r.note;
  return j;
}

json cpu_json(const CpuDescription& cpu) {
  json isa = json::object();
  for (const IsaFeature& f : cpu.isa) isa[f.name] = reading(f.present);
  return {{"model_name", reading(cpu.model_name)}, {"vendor", reading(cpu.vendor)},
          {"arch", cpu_arch_name(cpu.arch)}, {"isa", isa}};
}

json topology_json(const CpuTopology& t) {
  json clusters = json::array();
  for (const CpuCluster& c : t.clusters)
    clusters.push_back({{"cpus", c.cpus}, {"core_name", c.core_name}, {"max_khz", reading(c.max_khz)}, {"basis", c.basis}});
  return {{"logical_cpus", reading(t.logical_cpus)}, {"physical_cores", reading(t.physical_cores)}, {"clusters", clusters}};
}

json caches_json(const CacheInfo& c) {
  json levels = json::array();
  for (const CacheLevel& l : c.levels)
    levels.push_back({{"level", l.level}, {"type", l.type}, {"size_bytes", reading(l.size_bytes)},
                      {"shared_by_cpus", l.shared_by_cpus}});
  json j = {{"levels", levels}};
  if (!c.note.empty()) j["note"] = c.note;
  return j;
}

json cpufreq_json(const std::vector<CpufreqPolicy>& policies) {
  json j = json::array();
  for (const CpufreqPolicy& p : policies)
    j.push_back({{"name", p.name}, {"cpus", reading(p.cpus)}, {"min_khz", reading(p.min_khz)},
                 {"max_khz", reading(p.max_khz)}, {"current_khz", reading(p.current_khz)},
                 {"governor", reading(p.governor)}, {"operating_points_khz", reading(p.operating_points_khz)},
                 {"operating_points_are_range", p.operating_points_are_range}});
  return j;
}

json power_json(const std::vector<PowerSupply>& supplies) {
  json j = json::array();
  for (const PowerSupply& s : supplies)
    j.push_back({{"name", s.name}, {"type", reading(s.type)}, {"status", reading(s.status)},
                 {"online", reading(s.online)}, {"capacity_percent", reading(s.capacity_percent)},
                 {"energy_now_wh", reading(s.energy_now_wh)}, {"energy_full_wh", reading(s.energy_full_wh)},
                 {"power_now_w", reading(s.power_now_w)}, {"voltage_now_v", reading(s.voltage_now_v)},
                 {"current_now_a", reading(s.current_now_a)}});
  return j;
}

json thermal_json(const std::vector<ThermalZone>& zones) {
  json j = json::array();
  for (const ThermalZone& z : zones) {
    json trips = json::array();
    for (const TripPoint& t : z.trips)
      trips.push_back({{"index", t.index}, {"type", reading(t.type)}, {"temp_c", reading(t.temp_c)}});
    j.push_back({{"name", z.name}, {"type", reading(z.type)}, {"temp_c", reading(z.temp_c)}, {"trips", trips}});
  }
  return j;
}

json rapl_json(const std::vector<RaplZone>& zones) {
  json j = json::array();
  for (const RaplZone& z : zones)
    j.push_back({{"id", z.id}, {"path", z.path}, {"name", reading(z.name)}, {"readable", z.readable()},
                 {"energy_uj", reading(z.energy_uj)}, {"max_energy_range_uj", reading(z.max_energy_range_uj)}});
  return j;
}

}  // namespace

nlohmann::json capabilities_to_json(const DeviceCapabilities& c) {
  return {{"root", c.root},
          {"cpu", cpu_json(c.cpu)},
          {"topology", topology_json(c.topology)},
          {"caches", caches_json(c.caches)},
          {"memory", {{"total_bytes", reading(c.memory.total_bytes)}, {"available_bytes", reading(c.memory.available_bytes)}}},
          {"cpufreq", cpufreq_json(c.cpufreq)},
          {"power_supplies", power_json(c.power_supplies)},
          {"thermal_zones", thermal_json(c.thermal_zones)},
          {"rapl", rapl_json(c.rapl)},
          {"notes", c.notes}};
}

}  // namespace ew::device
