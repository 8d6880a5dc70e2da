#include "device/cpu_topology.h"

#include <map>
#include <set>
#include <tuple>

#include <cpuinfo.h>

#include "device/sysfs.h"

namespace ew::device {

namespace {

constexpr const char* kCpuDir = "/sys/devices/system/cpu";

Reading<std::vector<int>> online_cpus(const std::string& root, const CpuInfoText& cpuinfo) {
  auto online = read_cpu_list(root, std::string(kCpuDir) + "/online");
  if (online.known() && !online.value.empty()) return online;
  if (cpuinfo.processors > 0) {
    std::vector<int> cpus;
    for (int i = 0; i < cpuinfo.processors; ++i) cpus.push_back(i);
    return known_reading(std::move(cpus), Provenance::kRead, "/proc/cpuinfo");
  }
  return online;
}

// Distinct (package, cluster, core) triples from cpuN/topology: Arm kernels
// number core_id within a cluster, so core_id alone repeats.
Reading<int> physical_cores(const std::string& root, const std::vector<int>& cpus) {
  std::set<std::tuple<int64_t, int64_t, int64_t>> cores;
  for (int cpu : cpus) {
    const std::string dir = std::string(kCpuDir) + "/cpu" + std::to_string(cpu) + "/topology";
    auto core = read_int(root, dir + "/core_id");
    auto package = read_int(root, dir + "/physical_package_id");
    auto cluster = read_int(root, dir + "/cluster_id");
    if (!core.known()) return unknown_like<int>(core);
    cores.insert({package.value_or(0), cluster.value_or(0), core.value});
  }
  if (cores.empty()) return {};
  return known_reading(static_cast<int>(cores.size()), Provenance::kRead, "cpuN/topology/core_id");
}

std::string core_name_of(const CpuInfoText& cpuinfo, int cpu) {
  return cpu >= 0 && static_cast<size_t>(cpu) < cpuinfo.core_names.size() ? cpuinfo.core_names[cpu] : "";
}

// intel_pstate and some Arm drivers give every CPU its own policy; then CPUs
// with the same maximum frequency form a cluster (P-cores vs E-cores).
std::vector<CpuCluster> merge_by_max_frequency(std::vector<CpuCluster> singles) {
  std::map<int64_t, CpuCluster> by_max;
  for (CpuCluster& c : singles) {
    if (!c.max_khz.known()) return singles;
    CpuCluster& m = by_max[-c.max_khz.value];  // fastest first
    if (m.cpus.empty()) m = c;
    else m.cpus.push_back(c.cpus.front());
    m.basis = "cpufreq max frequency (per-CPU policies)";
  }
  std::vector<CpuCluster> clusters;
  for (auto& [key, c] : by_max) clusters.push_back(std::move(c));
  return clusters;
}

std::vector<CpuCluster> clusters_from_policies(const std::vector<CpufreqPolicy>& policies, const CpuInfoText& cpuinfo) {
  std::vector<CpuCluster> clusters;
  bool all_single = policies.size() > 1;
  for (const CpufreqPolicy& p : policies) {
    if (!p.cpus.known() || p.cpus.value.empty()) continue;
    CpuCluster c;
    c.cpus = p.cpus.value;
    c.core_name = core_name_of(cpuinfo, c.cpus.front());
    c.max_khz = p.max_khz;
    c.basis = "cpufreq " + p.name;
    all_single = all_single && c.cpus.size() == 1;
    clusters.push_back(std::move(c));
  }
  return all_single ? merge_by_max_frequency(std::move(clusters)) : clusters;
}

std::vector<CpuCluster> clusters_from_core_names(const std::vector<int>& cpus, const CpuInfoText& cpuinfo) {
  std::map<std::string, CpuCluster> by_name;
  for (int cpu : cpus) {
    std::string name = core_name_of(cpuinfo, cpu);
    if (name.empty()) return {};
    CpuCluster& c = by_name[name];
    c.cpus.push_back(cpu);
    c.core_name = name;
    c.basis = "core type in /proc/cpuinfo";
  }
  std::vector<CpuCluster> clusters;
  for (auto& [name, c] : by_name) clusters.push_back(std::move(c));
  return clusters;
}

// libcpuinfo clusters: cores of one microarchitecture and frequency.
std::vector<CpuCluster> library_clusters() {
  std::vector<CpuCluster> clusters;
  for (uint32_t i = 0; i < cpuinfo_get_clusters_count(); ++i) {
    const cpuinfo_cluster* cl = cpuinfo_get_cluster(i);
    CpuCluster c;
    for (uint32_t p = 0; p < cl->processor_count; ++p) c.cpus.push_back(static_cast<int>(cl->processor_start + p));
    if (cl->frequency > 0)
      c.max_khz = known_reading(static_cast<int64_t>(cl->frequency / 1000), Provenance::kLibrary, "libcpuinfo");
    else
      c.max_khz.note = "libcpuinfo does not know the frequency";
    c.core_name = "uarch " + std::to_string(static_cast<unsigned>(cl->uarch));
    c.basis = "libcpuinfo cluster";
    clusters.push_back(std::move(c));
  }
  return clusters;
}

}  // namespace

CpuTopology read_cpu_topology(const std::string& root, const CpuInfoText& cpuinfo,
                              const std::vector<CpufreqPolicy>& policies) {
  CpuTopology t;
  auto cpus = online_cpus(root, cpuinfo);
  if (!cpus.known()) {
    t.logical_cpus = unknown_like<int>(cpus);
    return t;
  }
  t.logical_cpus = known_reading(static_cast<int>(cpus.value.size()), Provenance::kRead, cpus.note);
  t.physical_cores = physical_cores(root, cpus.value);
  t.clusters = clusters_from_policies(policies, cpuinfo);
  if (t.clusters.empty()) t.clusters = clusters_from_core_names(cpus.value, cpuinfo);
  if (t.clusters.empty()) {
    CpuCluster all;
    all.cpus = cpus.value;
    all.core_name = cpuinfo.model_name;
    all.max_khz.note = "no cpufreq policy";
    all.basis = "assumed: one cluster (no cpufreq, no core types)";
    t.clusters.push_back(std::move(all));
  }
  return t;
}

void overlay_topology_from_library(CpuTopology& t) {
  if (!cpuinfo_initialize()) return;
  // sysfs wins where it answered: libcpuinfo miscounts on some VMs (here it
  // reports 1 core and 2 clusters for 2 vCPUs that sysfs shows as 2 cores).
  if (!t.logical_cpus.known())
    t.logical_cpus = known_reading(static_cast<int>(cpuinfo_get_processors_count()), Provenance::kLibrary, "libcpuinfo");
  if (!t.physical_cores.known())
    t.physical_cores = known_reading(static_cast<int>(cpuinfo_get_cores_count()), Provenance::kLibrary, "libcpuinfo");
  bool assumed = t.clusters.size() <= 1 && (t.clusters.empty() || t.clusters.front().basis.rfind("assumed", 0) == 0);
  std::vector<CpuCluster> lib = library_clusters();
  if (!assumed || lib.empty()) return;
  bool differ = false;
  for (const CpuCluster& c : lib) differ = differ || c.core_name != lib.front().core_name ||
                                       c.max_khz.value_or(0) != lib.front().max_khz.value_or(0);
  if (differ) {
    t.clusters = std::move(lib);
  } else if (!t.clusters.empty() && lib.front().max_khz.known()) {
    t.clusters.front().max_khz = lib.front().max_khz;
  }
}

}  // namespace ew::device
