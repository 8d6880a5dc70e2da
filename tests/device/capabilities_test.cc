// detect_capabilities against the fixture trees (Raspberry Pi 4, Jetson AGX
// Orin, Intel laptop) and on the live machine.
#include "device/capabilities.h"

#include <gtest/gtest.h>

#include "device/capabilities_json.h"
#include "device/fixture_paths.h"

namespace ew::device {
namespace {

DeviceCapabilities detect_fixture(const std::string& name) {
  DetectOptions o;
  o.root = test::fixture(name);
  return detect_capabilities(o);
}

const IsaFeature* feature(const DeviceCapabilities& c, const std::string& name) {
  for (const IsaFeature& f : c.cpu.isa)
    if (f.name == name) return &f;
  return nullptr;
}

TEST(CapabilitiesTest, RaspberryPi4) {
  DeviceCapabilities c = detect_fixture("raspberry_pi_4");
  EXPECT_EQ(c.cpu.arch, CpuArch::kArm64);
  EXPECT_EQ(c.cpu.model_name.value, "Raspberry Pi 4 Model B Rev 1.4");
  EXPECT_EQ(c.cpu.vendor.value, "ARM");
  EXPECT_TRUE(has_feature(c.cpu.isa, "neon"));
  EXPECT_FALSE(has_feature(c.cpu.isa, "dotprod"));
  EXPECT_FALSE(has_feature(c.cpu.isa, "fp16"));
  ASSERT_NE(feature(c, "dotprod"), nullptr);
  EXPECT_TRUE(feature(c, "dotprod")->present.known());  // known to be absent
  EXPECT_EQ(feature(c, "avx2"), nullptr);
  EXPECT_EQ(c.topology.logical_cpus.value, 4);
  EXPECT_EQ(c.topology.physical_cores.value, 4);
  ASSERT_EQ(c.topology.clusters.size(), 1u);
  EXPECT_EQ(c.topology.clusters[0].core_name, "Cortex-A72");
  EXPECT_EQ(c.topology.clusters[0].max_khz.value, 1500000);
  EXPECT_EQ(c.caches.data_size(1).value, 32 * 1024);
  EXPECT_EQ(c.caches.data_size(2).value, 1024 * 1024);
  EXPECT_FALSE(c.caches.data_size(3).known());
  EXPECT_EQ(c.memory.total_bytes.value, int64_t{3884096} * 1024);
  EXPECT_EQ(c.memory.available_bytes.value, int64_t{3313400} * 1024);
  ASSERT_EQ(c.cpufreq.size(), 1u);
  const CpufreqPolicy& p = c.cpufreq[0];
  EXPECT_EQ(p.governor.value, "ondemand");
  EXPECT_EQ(p.current_khz.value, 600000);
  EXPECT_FALSE(p.operating_points_are_range);
  ASSERT_EQ(p.operating_points_khz.value.size(), 10u);
  EXPECT_EQ(p.operating_points_khz.value.front(), 600000);
  EXPECT_EQ(p.operating_points_khz.value.back(), 1500000);
  EXPECT_TRUE(c.power_supplies.empty());
  ASSERT_EQ(c.thermal_zones.size(), 1u);
  EXPECT_EQ(c.thermal_zones[0].type.value, "cpu-thermal");
  EXPECT_NEAR(c.thermal_zones[0].temp_c.value, 48.686, 1e-9);
  ASSERT_EQ(c.thermal_zones[0].trips.size(), 1u);
  EXPECT_EQ(c.thermal_zones[0].trips[0].type.value, "critical");
  EXPECT_DOUBLE_EQ(c.thermal_zones[0].trips[0].temp_c.value, 110.0);
  EXPECT_TRUE(c.rapl.empty());
  EXPECT_TRUE(c.notes.empty());
}

TEST(CapabilitiesTest, JetsonOrin) {
  DeviceCapabilities c = detect_fixture("jetson_orin");
  EXPECT_EQ(c.cpu.arch, CpuArch::kArm64);
  EXPECT_EQ(c.cpu.model_name.value, "Cortex-A78AE");
  for (const char* f : {"neon", "fp16", "dotprod"}) EXPECT_TRUE(has_feature(c.cpu.isa, f)) << f;
  for (const char* f : {"i8mm", "sve", "sve2", "bf16"}) EXPECT_FALSE(has_feature(c.cpu.isa, f)) << f;
  EXPECT_EQ(c.topology.logical_cpus.value, 12);
  EXPECT_EQ(c.topology.physical_cores.value, 12);  // core_id repeats in each cluster
  ASSERT_EQ(c.topology.clusters.size(), 3u);
  EXPECT_EQ(c.topology.clusters[1].cpus, (std::vector<int>{4, 5, 6, 7}));
  EXPECT_EQ(c.topology.clusters[2].max_khz.value, 2201600);
  EXPECT_EQ(c.topology.clusters[2].basis, "cpufreq policy8");
  EXPECT_EQ(c.caches.data_size(3).value, 2048 * 1024);
  ASSERT_EQ(c.cpufreq.size(), 3u);
  EXPECT_EQ(c.cpufreq[2].name, "policy8");
  EXPECT_EQ(c.cpufreq[2].operating_points_khz.value.size(), 29u);
  EXPECT_EQ(c.cpufreq[1].current_khz.value, 1113600);
  ASSERT_EQ(c.thermal_zones.size(), 5u);
  EXPECT_EQ(c.thermal_zones[4].type.value, "tj-therm");
  ASSERT_EQ(c.thermal_zones[4].trips.size(), 3u);
  EXPECT_EQ(c.thermal_zones[4].trips[2].type.value, "hot");
  EXPECT_DOUBLE_EQ(c.thermal_zones[0].trips[1].temp_c.value, 104.5);
  EXPECT_TRUE(c.power_supplies.empty());
  EXPECT_TRUE(c.rapl.empty());
}

TEST(CapabilitiesTest, IntelLaptop) {
  DeviceCapabilities c = detect_fixture("intel_laptop");
  EXPECT_EQ(c.cpu.arch, CpuArch::kX86_64);
  EXPECT_EQ(c.cpu.vendor.value, "GenuineIntel");
  EXPECT_EQ(c.cpu.model_name.value, "12th Gen Intel(R) Core(TM) i5-1235U");
  for (const char* f : {"sse4.2", "avx", "avx2", "fma", "f16c", "avx_vnni"}) EXPECT_TRUE(has_feature(c.cpu.isa, f)) << f;
  for (const char* f : {"avx512f", "avx512bw", "avx512vl", "avx512_vnni", "amx"})
    EXPECT_FALSE(has_feature(c.cpu.isa, f)) << f;
  EXPECT_EQ(c.topology.logical_cpus.value, 12);
  EXPECT_EQ(c.topology.physical_cores.value, 10);
  ASSERT_EQ(c.topology.clusters.size(), 2u);  // per-CPU policies grouped by max frequency
  EXPECT_EQ(c.topology.clusters[0].cpus, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(c.topology.clusters[0].max_khz.value, 4400000);
  EXPECT_EQ(c.topology.clusters[1].cpus.size(), 8u);
  EXPECT_EQ(c.topology.clusters[1].max_khz.value, 3300000);
  ASSERT_EQ(c.cpufreq.size(), 12u);
  EXPECT_TRUE(c.cpufreq[0].operating_points_are_range);
  EXPECT_EQ(c.cpufreq[0].operating_points_khz.value, (std::vector<int64_t>{400000, 4400000}));
  EXPECT_EQ(c.caches.data_size(3).value, 12288 * 1024);

  ASSERT_EQ(c.power_supplies.size(), 2u);
  const PowerSupply& ac = c.power_supplies[0];
  const PowerSupply& bat = c.power_supplies[1];
  EXPECT_EQ(ac.name, "AC");
  EXPECT_EQ(ac.online.value, 1);
  EXPECT_EQ(bat.type.value, "Battery");
  EXPECT_EQ(bat.status.value, "Charging");
  EXPECT_EQ(bat.capacity_percent.value, 87);
  EXPECT_NEAR(bat.energy_now_wh.value, 43.56, 1e-9);
  EXPECT_NEAR(bat.power_now_w.value, 8.512, 1e-9);
  EXPECT_NEAR(bat.voltage_now_v.value, 12.874, 1e-9);
  EXPECT_FALSE(bat.current_now_a.known());

  ASSERT_EQ(c.thermal_zones.size(), 3u);
  EXPECT_TRUE(c.thermal_zones[1].trips.empty());
  EXPECT_EQ(c.thermal_zones[2].type.value, "x86_pkg_temp");
  EXPECT_DOUBLE_EQ(c.thermal_zones[2].trips[0].temp_c.value, 95.0);

  ASSERT_EQ(c.rapl.size(), 4u);
  EXPECT_EQ(c.rapl[0].id, "intel-rapl:0");
  EXPECT_EQ(c.rapl[0].name.value, "package-0");
  EXPECT_EQ(c.rapl[0].energy_uj.value, 48219338457);
  EXPECT_EQ(c.rapl[0].max_energy_range_uj.value, 262143328850);
  EXPECT_EQ(c.rapl[1].name.value, "core");
  EXPECT_TRUE(c.rapl[1].readable());
  EXPECT_EQ(c.rapl[2].name.value, "uncore");
  EXPECT_FALSE(c.rapl[2].readable());
  EXPECT_EQ(c.rapl[2].energy_uj.provenance, Provenance::kUnreadable);
  EXPECT_EQ(c.rapl[3].name.value, "psys");
  EXPECT_EQ(c.rapl[3].energy_uj.provenance, Provenance::kUnknown);
  ASSERT_EQ(c.notes.size(), 1u);  // the unreadable uncore counter
  EXPECT_NE(c.notes[0].find("intel-rapl:0:1/energy_uj"), std::string::npos);
}

TEST(CapabilitiesTest, EmptyRootGivesUnknownsNotErrors) {
  test::ScratchRoot s;
  DetectOptions o;
  o.root = s.root();
  DeviceCapabilities c = detect_capabilities(o);
  EXPECT_EQ(c.cpu.arch, CpuArch::kUnknown);
  EXPECT_FALSE(c.cpu.model_name.known());
  EXPECT_TRUE(c.cpu.isa.empty());
  EXPECT_FALSE(c.topology.logical_cpus.known());
  EXPECT_FALSE(c.memory.total_bytes.known());
  EXPECT_TRUE(c.caches.levels.empty());
  EXPECT_TRUE(c.cpufreq.empty() && c.power_supplies.empty() && c.thermal_zones.empty() && c.rapl.empty());
  EXPECT_TRUE(c.notes.empty());
  EXPECT_TRUE(capabilities_to_json(c).is_object());
}

TEST(CapabilitiesTest, LiveMachineIsSane) {
  DeviceCapabilities c = detect_capabilities();
  ASSERT_TRUE(c.topology.logical_cpus.known());
  EXPECT_GE(c.topology.logical_cpus.value, 1);
  ASSERT_TRUE(c.memory.total_bytes.known());
  EXPECT_GT(c.memory.total_bytes.value, 0);
  EXPECT_FALSE(c.topology.clusters.empty());
#if defined(__x86_64__)
  EXPECT_EQ(c.cpu.arch, CpuArch::kX86_64);
  EXPECT_EQ(has_feature(c.cpu.isa, "avx2"), static_cast<bool>(__builtin_cpu_supports("avx2")));
#endif
  for (const RaplZone& z : c.rapl) EXPECT_FALSE(z.id.empty());  // absent powercap simply gives none
  auto j = capabilities_to_json(c);
  EXPECT_TRUE(j["topology"]["logical_cpus"]["value"].is_number());
}

}  // namespace
}  // namespace ew::device

namespace ew::device {
namespace {

TEST(CapabilitiesTest, X86CacheSizeLineIsTheLastResort) {
  test::ScratchRoot s;
  s.write("/proc/cpuinfo", "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\ncache size\t: 1024 KB\n"
                           "flags\t\t: fpu sse4_2 avx avx2 fma\n");
  DetectOptions o;
  o.root = s.root();
  DeviceCapabilities amd = detect_capabilities(o);
  ASSERT_EQ(amd.caches.levels.size(), 1u);
  EXPECT_EQ(amd.caches.data_size(2).value, 1024 * 1024);  // AMD: the L2 per core
  s.write("/proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\ncache size\t: 12288 KB\nflags\t\t: avx2\n");
  DeviceCapabilities intel = detect_capabilities(o);
  EXPECT_EQ(intel.caches.data_size(3).value, 12288 * 1024);  // Intel: the L3
  EXPECT_FALSE(intel.caches.data_size(2).known());
}

}  // namespace
}  // namespace ew::device
