#include "device/capabilities.h"

#include <cpuinfo.h>

namespace ew::device {

namespace {

bool is_live_root(const std::string& root) { return root.empty() || root == "/"; }

CpuDescription describe_cpu(const CpuInfoText& text, bool live_library) {
  CpuDescription cpu;
  cpu.arch = text.arch;
  if (!text.model_name.empty()) cpu.model_name = known_reading(text.model_name, Provenance::kRead, "/proc/cpuinfo");
  else cpu.model_name.note = text.note.empty() ? "no model name in /proc/cpuinfo" : text.note;
  if (!text.vendor.empty()) cpu.vendor = known_reading(text.vendor, Provenance::kRead, "/proc/cpuinfo");
  else cpu.vendor.note = cpu.model_name.note;
  cpu.isa = isa_from_flags(text.arch, text.flags);
  if (!live_library || !cpuinfo_initialize()) return cpu;
  overlay_isa_from_library(cpu.isa);
  const cpuinfo_package* package = cpuinfo_get_package(0);
  if (package && package->name[0] != '\0' && !cpu.model_name.known())
    cpu.model_name = known_reading(std::string(package->name), Provenance::kLibrary, "libcpuinfo");
  return cpu;
}

template <typename T>
void note(std::vector<std::string>& notes, const Reading<T>& r) {
  if (r.provenance == Provenance::kUnparsed || r.provenance == Provenance::kUnreadable) notes.push_back(r.note);
}

void gather_notes(DeviceCapabilities& c) {
  note(c.notes, c.memory.total_bytes);
  note(c.notes, c.memory.available_bytes);
  for (const auto& l : c.caches.levels) note(c.notes, l.size_bytes);
  for (const auto& p : c.cpufreq) {
    note(c.notes, p.cpus), note(c.notes, p.min_khz), note(c.notes, p.max_khz);
    note(c.notes, p.current_khz), note(c.notes, p.operating_points_khz);
  }
  for (const auto& s : c.power_supplies) {
    note(c.notes, s.capacity_percent), note(c.notes, s.energy_now_wh), note(c.notes, s.power_now_w);
    note(c.notes, s.voltage_now_v), note(c.notes, s.current_now_a), note(c.notes, s.online);
  }
  for (const auto& z : c.thermal_zones) {
    note(c.notes, z.temp_c);
    for (const auto& t : z.trips) note(c.notes, t.temp_c);
  }
  for (const auto& z : c.rapl) note(c.notes, z.energy_uj), note(c.notes, z.max_energy_range_uj);
}

}  // namespace

DeviceCapabilities detect_capabilities(const DetectOptions& options) {
  DeviceCapabilities c;
  c.root = options.root.empty() ? "/" : options.root;
  const bool live_library = options.use_cpuinfo_library && is_live_root(options.root);
  CpuInfoText text = read_cpuinfo_text(c.root);
  if (text.provenance == Provenance::kUnparsed || text.provenance == Provenance::kUnreadable)
    c.notes.push_back(text.note);
  c.cpu = describe_cpu(text, live_library);
  c.cpufreq = read_cpufreq_policies(c.root);
  c.topology = read_cpu_topology(c.root, text, c.cpufreq);
  c.caches = read_caches(c.root);
  if (live_library) {
    overlay_topology_from_library(c.topology);
    if (c.caches.levels.empty()) overlay_caches_from_library(c.caches);
  }
  caches_from_cpuinfo_text(c.caches, text);
  c.memory = read_memory_info(c.root);
  c.power_supplies = read_power_supplies(c.root);
  c.thermal_zones = read_thermal_zones(c.root);
  c.rapl = read_rapl_zones(c.root);
  gather_notes(c);
  return c;
}

}  // namespace ew::device
