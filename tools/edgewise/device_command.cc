// edgewise device [--json] [--root DIR]: what this machine says about itself —
// CPU and ISA, cores and clusters, caches, memory, DVFS operating points,
// power supplies, thermal zones and energy counters. Detection is
// ew::device::detect_capabilities; this file only prints.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "device/capabilities.h"
#include "device/capabilities_json.h"
#include "device_profiles.h"

namespace ew::cli {

namespace {

using namespace ew::device;

struct Args {
  std::string root = "/", profile;
  bool json = false, no_cpuinfo = false, profiles = false;
};

constexpr const char* kAbsent = "not available here";

template <typename T>
std::string why(const Reading<T>& r) {
  if (r.provenance == Provenance::kUnknown) return kAbsent;
  // Notes of unreadable/unparsed readings already start with that word.
  return r.note.empty() ? provenance_name(r.provenance) : r.note;
}

std::string text(const Reading<std::string>& r) { return r.known() ? r.value : why(r); }
std::string num(const Reading<double>& r, const char* fmt) {
  if (!r.known()) return why(r);
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, r.value);
  return buf;
}
std::string integer(const Reading<int64_t>& r, const std::string& unit = "") {
  return r.known() ? std::to_string(r.value) + unit : why(r);
}
// 1500000 kHz -> "1500", 2201600 -> "2201.6"
std::string mhz_number(int64_t khz) {
  char buf[32];
  std::snprintf(buf, sizeof buf, khz % 1000 ? "%.1f" : "%.0f", static_cast<double>(khz) / 1000.0);
  return buf;
}
std::string mhz(int64_t khz) { return mhz_number(khz) + " MHz"; }
std::string cpu_list(const std::vector<int>& cpus) {
  std::string s;
  for (int c : cpus) s += (s.empty() ? "" : ",") + std::to_string(c);
  return s;
}

void print_cpu(const DeviceCapabilities& c) {
  std::cout << "CPU & ISA\n  model: " << text(c.cpu.model_name) << "\n  vendor: " << text(c.cpu.vendor)
            << "\n  arch: " << cpu_arch_name(c.cpu.arch) << "\n  isa:";
  if (c.cpu.isa.empty()) std::cout << " " << kAbsent;
  for (const IsaFeature& f : c.cpu.isa)
    std::cout << " " << f.name << (f.present.known() ? (f.present.value ? "+" : "-") : "?");
  std::cout << "   (+ present, - absent, ? unknown)\n";
}

void print_topology(const CpuTopology& t) {
  std::cout << "\nCores & clusters\n  logical CPUs: "
            << (t.logical_cpus.known() ? std::to_string(t.logical_cpus.value) : why(t.logical_cpus))
            << "\n  physical cores: "
            << (t.physical_cores.known() ? std::to_string(t.physical_cores.value) : why(t.physical_cores)) << "\n";
  for (size_t i = 0; i < t.clusters.size(); ++i) {
    const CpuCluster& k = t.clusters[i];
    std::cout << "  cluster " << i << ": cpus " << cpu_list(k.cpus) << (k.core_name.empty() ? "" : "  " + k.core_name)
              << "  max " << (k.max_khz.known() ? mhz(k.max_khz.value) : why(k.max_khz)) << "  [" << k.basis << "]\n";
  }
}

void print_caches(const CacheInfo& c) {
  std::cout << "\nCaches (cpu0)\n";
  if (c.levels.empty()) std::cout << "  " << kAbsent << "\n";
  for (const CacheLevel& l : c.levels)
    std::cout << "  L" << l.level << " " << l.type << ": "
              << (l.size_bytes.known() ? human_bytes(static_cast<double>(l.size_bytes.value)) : why(l.size_bytes))
              << (l.shared_by_cpus ? "  shared by " + std::to_string(l.shared_by_cpus) + " CPUs" : "") << "\n";
}

void print_memory(const MemoryInfo& m) {
  auto bytes = [](const Reading<int64_t>& r) { return r.known() ? human_bytes(static_cast<double>(r.value)) : why(r); };
  std::cout << "\nMemory\n  total: " << bytes(m.total_bytes) << "\n  available: " << bytes(m.available_bytes) << "\n";
}

void print_cpufreq(const std::vector<CpufreqPolicy>& policies) {
  std::cout << "\nDVFS operating points (cpufreq)\n";
  if (policies.empty()) std::cout << "  " << kAbsent << "\n";
  for (const CpufreqPolicy& p : policies) {
    std::cout << "  " << p.name << ": cpus " << (p.cpus.known() ? cpu_list(p.cpus.value) : why(p.cpus))
              << "  governor " << text(p.governor) << "  now "
              << (p.current_khz.known() ? mhz(p.current_khz.value) : why(p.current_khz)) << "\n    "
              << (p.operating_points_are_range ? "range only:" : "points:");
    if (!p.operating_points_khz.known()) std::cout << " " << why(p.operating_points_khz);
    for (int64_t khz : p.operating_points_khz.value) std::cout << " " << mhz_number(khz);
    std::cout << (p.operating_points_khz.known() ? " MHz" : "") << "\n";
  }
}

void print_power(const std::vector<PowerSupply>& supplies) {
  std::cout << "\nPower supplies\n";
  if (supplies.empty()) std::cout << "  " << kAbsent << "\n";
  for (const PowerSupply& s : supplies) {
    std::cout << "  " << s.name << " (" << text(s.type) << ")";
    if (s.online.known()) std::cout << "  online " << s.online.value;
    if (s.status.known()) std::cout << "  " << s.status.value;
    if (s.capacity_percent.known()) std::cout << "  " << s.capacity_percent.value << "%";
    if (s.energy_now_wh.known()) std::cout << "  energy " << num(s.energy_now_wh, "%.2f Wh");
    if (s.power_now_w.known()) std::cout << "  power " << num(s.power_now_w, "%.2f W");
    if (s.voltage_now_v.known()) std::cout << "  " << num(s.voltage_now_v, "%.2f V");
    if (s.current_now_a.known()) std::cout << "  " << num(s.current_now_a, "%.3f A");
    std::cout << "\n";
  }
}

void print_thermal(const std::vector<ThermalZone>& zones) {
  std::cout << "\nThermal zones & trips\n";
  if (zones.empty()) std::cout << "  " << kAbsent << "\n";
  for (const ThermalZone& z : zones) {
    std::cout << "  " << z.name << " " << text(z.type) << ": " << num(z.temp_c, "%.1f °C") << "\n";
    for (const TripPoint& t : z.trips)
      std::cout << "    trip " << t.index << " " << text(t.type) << " at " << num(t.temp_c, "%.1f °C") << "\n";
  }
}

void print_rapl(const std::vector<RaplZone>& zones) {
  std::cout << "\nEnergy counters (RAPL)\n";
  if (zones.empty()) std::cout << "  " << kAbsent << "\n";
  for (const RaplZone& z : zones)
    std::cout << "  " << z.id << " " << text(z.name) << ": "
              << (z.readable() ? std::to_string(z.energy_uj.value) + " uJ, wraps at " + integer(z.max_energy_range_uj, " uJ")
                               : why(z.energy_uj))
              << "\n";
}

int run(const Args& a) {
  if (a.profiles) return list_profiles(a.json);
  if (!a.profile.empty()) return show_profile(a.profile);
  std::error_code ec;
  if (!std::filesystem::is_directory(a.root, ec))
    return report_error(not_found("--root " + a.root + " is not a directory"));
  DetectOptions options;
  options.root = a.root;
  options.use_cpuinfo_library = !a.no_cpuinfo;
  DeviceCapabilities c = detect_capabilities(options);
  if (a.json) {
    // Fixture or sysfs strings may hold invalid UTF-8: replace it rather than throw.
    std::cout << capabilities_to_json(c).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  if (c.root != "/") std::cout << "(read from " << c.root << ")\n";
  print_cpu(c);
  print_topology(c.topology);
  print_caches(c.caches);
  print_memory(c.memory);
  print_cpufreq(c.cpufreq);
  print_power(c.power_supplies);
  print_thermal(c.thermal_zones);
  print_rapl(c.rapl);
  if (!c.notes.empty()) std::cout << "\nNotes\n";
  for (const std::string& n : c.notes) std::cout << "  " << n << "\n";
  return 0;
}

}  // namespace

void add_device_command(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("device", "What this machine says about itself: ISA, cores, caches, memory, DVFS, "
                                           "power supplies, thermal zones, energy counters");
  cmd->add_flag("--json", args->json, "Print every field as JSON, each with its source (read/cpuinfo/unknown/...)");
  cmd->add_option("--root", args->root, "Read /proc and /sys under DIR (a fixture tree) instead of this machine")
      ->capture_default_str();
  cmd->add_flag("--no-cpuinfo", args->no_cpuinfo, "Do not ask libcpuinfo; read /proc and /sys only");
  cmd->add_flag("--profiles", args->profiles, "List the bundled device profiles (data/devices/*.json)");
  cmd->add_option("--profile", args->profile,
                  "Print one device profile with every number's source: a bundled name, host (measured here and "
                  "cached) or a .json file");
  cmd->callback([args] { exit_code() = run(*args); });
}

}  // namespace ew::cli
