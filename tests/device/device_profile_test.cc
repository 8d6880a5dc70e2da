#include "device/device_profile.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace ew {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<std::string> kBundled = {"coral_dev_board", "jetson_agx_orin", "jetson_nano", "mcu",
                                           "phone_midrange",  "raspberry_pi_4",  "raspberry_pi_5"};

json read_bundled(const std::string& name) {
  std::ifstream in(fs::path(device_data_dir()) / "devices" / (name + ".json"));
  return json::parse(in);
}

// Writes `j` to a temp file and loads it; removes the file after.
Result<DeviceProfile> load_temp(const json& j, const std::string& tag) {
  fs::path path = fs::temp_directory_path() / ("ew_profile_" + tag + "_" + std::to_string(::getpid()) + ".json");
  {
    std::ofstream out(path);
    out << j.dump();
  }
  auto result = load_device_profile(path.string());
  fs::remove(path);
  return result;
}

TEST(DeviceProfile, EveryBundledProfileLoadsAndValidates) {
  std::vector<std::string> listed = list_device_profiles();
  for (const std::string& name : kBundled) {
    SCOPED_TRACE(name);
    EXPECT_NE(std::find(listed.begin(), listed.end(), name), listed.end());
    auto p = load_device_profile(name);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    EXPECT_EQ(p->name, name);
    EXPECT_GT(p->peak_ops(Precision::kFp32), 0);
    EXPECT_GT(p->peak_ops(Precision::kInt8), 0);
    EXPECT_GT(p->peak_ops(Precision::kInt4), 0);  // falls back to int8 where not native
    EXPECT_GT(p->energy_per_mac(Precision::kFp32), 0);
    EXPECT_GT(p->energy_per_mac(Precision::kFp16), 0);
    EXPECT_GT(p->dram_bandwidth(), 0);
    EXPECT_GT(p->energy_per_byte(), 0);
    EXPECT_GT(p->static_power(), 0);
    EXPECT_LT(p->static_power(), p->tdp());
    EXPECT_FALSE(p->operating_points().empty());
    EXPECT_GT(p->thermal.critical_c.value, p->thermal.throttle_c.value);
  }
  EXPECT_EQ(listed.back(), "host");
}

TEST(DeviceProfile, TiersCoverAllThree) {
  EXPECT_EQ(load_device_profile("jetson_agx_orin")->tier, DeviceTier::kHighEnd);
  EXPECT_EQ(load_device_profile("jetson_nano")->tier, DeviceTier::kMidRange);
  EXPECT_EQ(load_device_profile("mcu")->tier, DeviceTier::kConstrained);
}

TEST(DeviceProfile, PicksTheFastestUnitAndFallsBack) {
  auto orin = load_device_profile("jetson_agx_orin");
  ASSERT_TRUE(orin.is_ok());
  EXPECT_EQ(orin->unit_for(Precision::kInt8)->name, "gpu");
  EXPECT_DOUBLE_EQ(orin->peak_ops(Precision::kInt8), 85000e9);
  auto coral = load_device_profile("coral_dev_board");
  ASSERT_TRUE(coral.is_ok());
  EXPECT_EQ(coral->unit_for(Precision::kInt8)->name, "edgetpu");
  EXPECT_EQ(coral->unit_for(Precision::kFp32)->name, "cpu");
  // No fp16 on an A53: fp16 runs at the fp32 rate and energy.
  EXPECT_FALSE(coral->has_native(Precision::kFp16));
  EXPECT_DOUBLE_EQ(coral->peak_ops(Precision::kFp16), coral->peak_ops(Precision::kFp32));
  EXPECT_DOUBLE_EQ(coral->energy_per_mac(Precision::kFp16), coral->energy_per_mac(Precision::kFp32));
  EXPECT_DOUBLE_EQ(coral->energy_per_mac(Precision::kInt8), 1.0e-12);
  // Maxwell has no int8 math, but its fp16 rate beats the A57's int8: int8 layers run as fp16 on the GPU.
  auto nano = load_device_profile("jetson_nano");
  ASSERT_TRUE(nano.is_ok());
  EXPECT_EQ(nano->unit_for(Precision::kInt8)->name, "gpu");
  EXPECT_EQ(nano->runs_as(Precision::kInt8), Precision::kFp16);
  EXPECT_DOUBLE_EQ(nano->peak_ops(Precision::kInt8), 471.9e9);
  EXPECT_DOUBLE_EQ(nano->energy_per_mac(Precision::kInt8), nano->energy_per_mac(Precision::kFp16));
  EXPECT_DOUBLE_EQ(nano->energy_per_mac(Precision::kFp16), 32e-12);
  EXPECT_EQ(orin->runs_as(Precision::kInt4), Precision::kInt8);
}

TEST(DeviceProfile, SiUnits) {
  auto pi = load_device_profile("raspberry_pi_4");
  ASSERT_TRUE(pi.is_ok());
  EXPECT_DOUBLE_EQ(pi->dram_bandwidth(), 12.8e9);
  EXPECT_DOUBLE_EQ(pi->memory_bytes(), 4096.0 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(pi->peak_ops(Precision::kFp32), 48e9);
  EXPECT_DOUBLE_EQ(pi->energy_per_byte(), 50e-12);
}

TEST(DeviceProfile, JsonRoundTrip) {
  auto p = load_device_profile("phone_midrange");
  ASSERT_TRUE(p.is_ok());
  json j = to_json(*p);
  auto again = device_profile_from_json(j, "roundtrip");
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(to_json(*again), j);
  EXPECT_EQ(again->operating_points().size(), p->operating_points().size());
}

TEST(DeviceProfile, UnknownNameListsKnownProfiles) {
  auto p = load_device_profile("toaster");
  ASSERT_FALSE(p.is_ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  EXPECT_NE(p.status().message().find("raspberry_pi_4"), std::string::npos);
}

// Each broken profile must fail with a message naming the file and field.
struct Breakage {
  const char* tag;
  void (*edit)(json&);
  const char* field;
};

TEST(DeviceProfile, BrokenProfilesNameTheField) {
  const Breakage cases[] = {
      {"negative_peak", [](json& j) { j["compute_units"][0]["peak_gops"]["fp32"]["value"] = -1; },
       "compute_units[0].peak_gops.fp32"},
      {"zero_peak", [](json& j) { j["compute_units"][0]["peak_gops"]["int8"]["value"] = 0; }, "compute_units[0].peak_gops.int8"},
      {"no_source", [](json& j) { j["memory"]["bandwidth_gb_s"].erase("source"); }, "memory.bandwidth_gb_s.source"},
      {"empty_source", [](json& j) { j["power"]["tdp_w"]["source"] = ""; }, "power.tdp_w.source"},
      {"bare_number", [](json& j) { j["thermal"]["time_constant_s"] = 90; }, "thermal.time_constant_s"},
      {"missing_thermal", [](json& j) { j["thermal"].erase("critical_c"); }, "thermal.critical_c"},
      {"freq_not_increasing",
       [](json& j) { j["compute_units"][0]["operating_points"]["points"][1]["frequency_mhz"] = 100; },
       "compute_units[0].operating_points.points[1].frequency_mhz"},
      {"voltage_falls", [](json& j) { j["compute_units"][0]["operating_points"]["points"][2]["voltage_v"] = 0.1; },
       "compute_units[0].operating_points.points[2].voltage_v"},
      {"energy_missing", [](json& j) { j["compute_units"][0]["energy_per_mac_pj"].erase("fp16"); },
       "compute_units[0].energy_per_mac_pj.fp16"},
      {"bad_precision", [](json& j) { j["compute_units"][0]["peak_gops"]["fp8"] = {{"value", 1}, {"source", "x"}}; },
       "compute_units[0].peak_gops.fp8"},
      {"static_above_tdp", [](json& j) { j["power"]["static_w"]["value"] = 50; }, "power.static_w"},
      {"throttle_above_critical", [](json& j) { j["thermal"]["throttle_c"]["value"] = 120; }, "thermal.critical_c"},
      {"bad_tier", [](json& j) { j["tier"] = "premium"; }, "tier"},
      {"bad_kind", [](json& j) { j["compute_units"][0]["kind"] = "fpga"; }, "compute_units[0].kind"},
      {"future_schema", [](json& j) { j["schema_version"] = 2; }, "schema_version"},
      {"string_frequency",
       [](json& j) { j["compute_units"][0]["operating_points"]["points"][0]["frequency_mhz"] = "fast"; },
       "compute_units[0].operating_points.points[0]"},
      {"units_not_array", [](json& j) { j["compute_units"] = json::object({{"cpu", 1}}); }, "compute_units"},
  };
  for (const Breakage& c : cases) {
    SCOPED_TRACE(c.tag);
    json j = read_bundled("raspberry_pi_5");
    c.edit(j);
    auto p = load_temp(j, c.tag);
    ASSERT_FALSE(p.is_ok());
    const std::string& msg = p.status().message();
    EXPECT_NE(msg.find(std::string("ew_profile_") + c.tag), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.field), std::string::npos) << msg;
  }
}

TEST(DeviceProfile, NotJsonIsAnError) {
  fs::path path = fs::temp_directory_path() / ("ew_profile_garbage_" + std::to_string(::getpid()) + ".json");
  {
    std::ofstream out(path);
    out << "{ not json";
  }
  auto p = load_device_profile(path.string());
  fs::remove(path);
  ASSERT_FALSE(p.is_ok());
  EXPECT_NE(p.status().message().find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace ew
