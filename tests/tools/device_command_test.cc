// edgewise device through the CLI: text sections, JSON and --root fixtures.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) { return test::source_dir() + "/tests/device/fixtures/" + name; }

TEST(DeviceCommandTest, TextOnFixtureHasEverySection) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int rc = -1;
  std::string out = test::run_cli("device --root " + fixture("raspberry_pi_4"), &rc);
  ASSERT_EQ(rc, 0) << out;
  for (const char* s : {"CPU & ISA", "Cores & clusters", "Caches", "Memory", "DVFS operating points",
                        "Power supplies", "Thermal zones & trips", "Energy counters (RAPL)", "Cortex-A72",
                        "600 700 800 900 1000 1100 1200 1300 1400 1500 MHz", "110.0 °C", "not available here"})
    EXPECT_NE(out.find(s), std::string::npos) << s << "\n" << out;
}

TEST(DeviceCommandTest, JsonOnIntelLaptop) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int rc = -1;
  std::string out = test::run_cli("device --json --root " + fixture("intel_laptop"), &rc);
  ASSERT_EQ(rc, 0) << out;
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["cpu"]["arch"], "x86_64");
  EXPECT_EQ(j["cpu"]["isa"]["avx2"]["value"], true);
  EXPECT_EQ(j["cpu"]["isa"]["avx512f"]["value"], false);
  EXPECT_EQ(j["topology"]["logical_cpus"]["value"], 12);
  EXPECT_EQ(j["power_supplies"][1]["name"], "BAT0");
  EXPECT_EQ(j["rapl"][2]["readable"], false);
  EXPECT_EQ(j["rapl"][2]["energy_uj"]["source"], "unreadable");
  EXPECT_TRUE(j["rapl"][2]["energy_uj"]["value"].is_null());
}

TEST(DeviceCommandTest, LiveMachineWorks) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int rc = -1;
  std::string out = test::run_cli("device --json", &rc);
  ASSERT_EQ(rc, 0) << out;
  auto j = nlohmann::json::parse(out);
  EXPECT_GE(j["topology"]["logical_cpus"]["value"].get<int>(), 1);
  EXPECT_GT(j["memory"]["total_bytes"]["value"].get<int64_t>(), 0);
  test::run_cli("device", &rc);
  EXPECT_EQ(rc, 0);
}

TEST(DeviceCommandTest, MissingRootFailsCleanly) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int rc = -1;
  std::string out = test::run_cli("device --root /nonexistent/device/tree", &rc, true);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("not a directory"), std::string::npos) << out;
}

TEST(DeviceCommandTest, ListsAndShowsProfiles) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int rc = -1;
  std::string out = test::run_cli("device --profiles --json", &rc);
  ASSERT_EQ(rc, 0) << out;
  auto list = nlohmann::json::parse(out);
  EXPECT_GE(list.size(), 7u);
  out = test::run_cli("device --profile raspberry_pi_4", &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(nlohmann::json::parse(out)["name"], "raspberry_pi_4");
  out = test::run_cli("device --profile no_such_board", &rc, true);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("raspberry_pi_5"), std::string::npos) << out;  // the error lists the known ones
}

}  // namespace
}  // namespace ew
