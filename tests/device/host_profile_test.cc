#include "device/host_profile.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace ew {
namespace {

namespace fs = std::filesystem;

TEST(HostProfile, ProbesReturnPositiveNumbers) {
  EXPECT_GT(measure_fp32_peak(0.02).gops, 0);
  PeakMeasurement int8 = measure_int8_peak(0.02);
  EXPECT_GT(int8.gops, 0);
  EXPECT_FALSE(int8.isa.empty());
  EXPECT_GT(measure_copy_bandwidth(size_t{4} << 20, 1), 0);
}

TEST(HostProfile, QuickMeasurementBuildsAValidProfile) {
  auto p = load_or_measure_host_profile(HostProfileOptions::quick());
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(p->name, "host");
  EXPECT_EQ(p->tier, DeviceTier::kHost);
  EXPECT_GT(p->peak_ops(Precision::kFp32), 0);
  EXPECT_GT(p->peak_ops(Precision::kInt8), 0);
  EXPECT_GT(p->dram_bandwidth(), 0);
  EXPECT_GT(p->memory_bytes(), 0);
  const ComputeUnit* cpu = p->unit("cpu");
  ASSERT_NE(cpu, nullptr);
  EXPECT_GE(cpu->count.value, 1);
  EXPECT_EQ(cpu->peak_gops.at(Precision::kInt8).source.rfind("measured on host", 0), 0u);
  EXPECT_EQ(p->power.tdp_w.source.rfind("assumption", 0), 0u);
}

TEST(HostProfile, CacheIsWrittenAndReused) {
  fs::path dir = fs::temp_directory_path() / ("ew_host_cache_" + std::to_string(::getpid()));
  HostProfileOptions o = HostProfileOptions::quick();
  o.cache_path = (dir / "sub" / "host_profile.json").string();
  auto first = load_or_measure_host_profile(o);
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  ASSERT_TRUE(fs::exists(o.cache_path));

  // Mark the cached file; a reuse returns the marked value, not a new measurement.
  nlohmann::json j;
  {
    std::ifstream in(o.cache_path);
    j = nlohmann::json::parse(in);
  }
  j["memory"]["bandwidth_gb_s"]["value"] = 12345.0;
  {
    std::ofstream out(o.cache_path);
    out << j.dump();
  }
  auto second = load_or_measure_host_profile(o);
  ASSERT_TRUE(second.is_ok());
  EXPECT_DOUBLE_EQ(second->memory.bandwidth_gb_s.value, 12345.0);

  o.remeasure = true;
  auto third = load_or_measure_host_profile(o);
  ASSERT_TRUE(third.is_ok());
  EXPECT_NE(third->memory.bandwidth_gb_s.value, 12345.0);
  fs::remove_all(dir);
}

TEST(HostProfile, ForeignOrBrokenCacheIsRemeasured) {
  fs::path path = fs::temp_directory_path() / ("ew_host_foreign_" + std::to_string(::getpid()) + ".json");
  {
    std::ofstream out(path);
    out << "{\"host_fingerprint\": \"some other machine\"}";
  }
  HostProfileOptions o = HostProfileOptions::quick();
  o.cache_path = path.string();
  auto p = load_or_measure_host_profile(o);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_GT(p->peak_ops(Precision::kInt8), 0);
  fs::remove(path);
}

}  // namespace
}  // namespace ew
