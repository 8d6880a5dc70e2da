// Malformed and partial device trees: values become "unparsed" notes, never crashes.
#include <gtest/gtest.h>

#include "device/capabilities.h"
#include "device/capabilities_json.h"
#include "device/fixture_paths.h"

namespace ew::device {
namespace {

DeviceCapabilities detect(const test::ScratchRoot& s) {
  DetectOptions o;
  o.root = s.root();
  return detect_capabilities(o);
}

bool has_note(const DeviceCapabilities& c, const std::string& needle) {
  for (const std::string& n : c.notes)
    if (n.find(needle) != std::string::npos) return true;
  return false;
}

TEST(MalformedFilesTest, GarbageValuesBecomeUnparsedNotes) {
  test::ScratchRoot s;
  s.write("/proc/meminfo", "MemTotal: lots kB\nMemAvailable:   1024 kB\n");
  s.write("/sys/class/thermal/thermal_zone0/type", "cpu-thermal\n");
  s.write("/sys/class/thermal/thermal_zone0/temp", "\xff\xfe garbage\n");
  s.write("/sys/class/thermal/thermal_zone0/trip_point_0_type", "critical\n");
  s.write("/sys/class/thermal/thermal_zone0/trip_point_0_temp", "110000\n");
  s.write("/sys/devices/system/cpu/cpufreq/policy0/related_cpus", "0-\n");
  s.write("/sys/devices/system/cpu/cpufreq/policy0/scaling_available_frequencies", "600000 fast\n");
  s.write("/sys/devices/system/cpu/cpu0/cache/index0/level", "1\n");
  s.write("/sys/devices/system/cpu/cpu0/cache/index0/type", "Data\n");
  s.write("/sys/devices/system/cpu/cpu0/cache/index0/size", "32Q\n");
  s.write("/sys/class/power_supply/BAT0/capacity", "eighty\n");
  DeviceCapabilities c = detect(s);
  EXPECT_EQ(c.memory.total_bytes.provenance, Provenance::kUnparsed);
  EXPECT_EQ(c.memory.available_bytes.value, 1024 * 1024);
  ASSERT_EQ(c.thermal_zones.size(), 1u);
  EXPECT_EQ(c.thermal_zones[0].temp_c.provenance, Provenance::kUnparsed);
  EXPECT_DOUBLE_EQ(c.thermal_zones[0].trips[0].temp_c.value, 110.0);  // the rest of the zone still reads
  ASSERT_EQ(c.cpufreq.size(), 1u);
  EXPECT_EQ(c.cpufreq[0].cpus.provenance, Provenance::kUnparsed);
  EXPECT_EQ(c.cpufreq[0].operating_points_khz.provenance, Provenance::kUnparsed);
  ASSERT_EQ(c.caches.levels.size(), 1u);
  EXPECT_EQ(c.caches.levels[0].size_bytes.provenance, Provenance::kUnparsed);
  EXPECT_EQ(c.power_supplies.at(0).capacity_percent.provenance, Provenance::kUnparsed);
  EXPECT_TRUE(has_note(c, "unparsed 'MemTotal: lots kB'"));
  EXPECT_TRUE(has_note(c, "thermal_zone0/temp"));
  EXPECT_TRUE(has_note(c, "policy0/related_cpus"));
  EXPECT_TRUE(has_note(c, "index0/size"));
  EXPECT_TRUE(has_note(c, "BAT0/capacity"));
  EXPECT_TRUE(has_note(c, "unparsed '?? garbage'"));  // non-ASCII bytes replaced
  EXPECT_NO_THROW(capabilities_to_json(c).dump());
}

TEST(MalformedFilesTest, CpuinfoWithoutProcessorLinesIsUnparsed) {
  test::ScratchRoot s;
  s.write("/proc/cpuinfo", "this is not cpuinfo\n\n::::\n");
  DeviceCapabilities c = detect(s);
  EXPECT_EQ(c.cpu.arch, CpuArch::kUnknown);
  EXPECT_FALSE(c.cpu.model_name.known());
  EXPECT_TRUE(has_note(c, "unparsed /proc/cpuinfo"));
}

TEST(MalformedFilesTest, PartialTreesReadWhatIsThere) {
  test::ScratchRoot s;
  s.write("/proc/cpuinfo", "processor\t: 0\nprocessor\t: 1\n");
  s.write("/sys/devices/system/cpu/cpufreq/policy0/cpuinfo_max_freq", "2000000\n");  // no related_cpus
  s.write("/sys/devices/system/cpu/cpufreq/policy0/cpuinfo_min_freq", "2000000\n");
  s.make_dir("/sys/class/thermal/thermal_zone3");  // empty zone
  s.make_dir("/sys/class/powercap/intel-rapl:0");  // empty RAPL zone
  DeviceCapabilities c = detect(s);
  EXPECT_EQ(c.topology.logical_cpus.value, 2);  // from /proc/cpuinfo
  EXPECT_FALSE(c.topology.physical_cores.known());
  ASSERT_EQ(c.topology.clusters.size(), 1u);
  EXPECT_EQ(c.topology.clusters[0].basis.rfind("assumed", 0), 0u);
  ASSERT_EQ(c.cpufreq.size(), 1u);
  EXPECT_EQ(c.cpufreq[0].operating_points_khz.value, (std::vector<int64_t>{2000000}));
  ASSERT_EQ(c.thermal_zones.size(), 1u);
  EXPECT_FALSE(c.thermal_zones[0].type.known());
  EXPECT_TRUE(c.thermal_zones[0].trips.empty());
  ASSERT_EQ(c.rapl.size(), 1u);
  EXPECT_FALSE(c.rapl[0].readable());
  EXPECT_EQ(c.rapl[0].energy_uj.provenance, Provenance::kUnknown);
}

}  // namespace
}  // namespace ew::device
