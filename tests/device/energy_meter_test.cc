// RAPL inference energy meter over scratch powercap trees.
#include "device/energy_meter.h"

#include <gtest/gtest.h>

#include "device/fixture_paths.h"

namespace ew::device {
namespace {

constexpr const char* kZone = "/sys/class/powercap/intel-rapl:0";

void write_package(const test::ScratchRoot& s, int64_t energy_uj) {
  s.write(std::string(kZone) + "/name", "package-0\n");
  s.write(std::string(kZone) + "/max_energy_range_uj", "262143328850\n");
  s.write(std::string(kZone) + "/energy_uj", std::to_string(energy_uj) + "\n");
}

TEST(EnergyMeter, MeasuresTheRunsBetweenFirstCallAndLastRead) {
  test::ScratchRoot s;
  write_package(s, 1'000'000);
  InferenceEnergyMeter meter(s.root(), 0.0);
  ASSERT_TRUE(meter.available()) << meter.reason();
  meter.after_run(1);  // starts
  write_package(s, 1'300'000);
  meter.after_run(2);
  write_package(s, 1'600'000);
  meter.after_run(3);
  const MeasuredEnergy e = meter.result();
  ASSERT_TRUE(e.measured) << e.reason;
  EXPECT_EQ(e.runs, 2);
  EXPECT_DOUBLE_EQ(e.energy_j, 0.6);
  EXPECT_DOUBLE_EQ(e.per_inference_j(), 0.3);
  ASSERT_EQ(e.zones.size(), 1u);
  EXPECT_EQ(e.zones[0], "intel-rapl:0 (package-0)");
}

TEST(EnergyMeter, CountsAcrossACounterWrap) {
  test::ScratchRoot s;
  write_package(s, 262143000000);
  InferenceEnergyMeter meter(s.root(), 0.0);
  meter.after_run(1);
  write_package(s, 1'000'000);
  meter.after_run(2);
  EXPECT_NEAR(meter.result().energy_j, 1.32885, 1e-12);
}

TEST(EnergyMeter, TooShortIsNotMeasured) {
  test::ScratchRoot s;
  write_package(s, 5);
  InferenceEnergyMeter meter(s.root(), 3600.0);  // never reads again within the test
  meter.after_run(1);
  meter.after_run(2);
  const MeasuredEnergy e = meter.result();
  EXPECT_FALSE(e.measured);
  EXPECT_NE(e.reason.find("too short"), std::string::npos);
}

TEST(EnergyMeter, AbsentOrUnreadableZonesSayWhy) {
  test::ScratchRoot empty;
  InferenceEnergyMeter none(empty.root());
  EXPECT_FALSE(none.available());
  EXPECT_NE(none.reason().find("no RAPL package zone"), std::string::npos) << none.reason();
  none.after_run(1);
  EXPECT_FALSE(none.result().measured);

  test::ScratchRoot s;
  s.write(std::string(kZone) + "/name", "package-0\n");
  s.write(std::string(kZone) + "/max_energy_range_uj", "262143328850\n");
  s.make_dir(std::string(kZone) + "/energy_uj");  // read() fails like a root-only counter
  InferenceEnergyMeter unreadable(s.root());
  EXPECT_FALSE(unreadable.available());
  EXPECT_NE(unreadable.reason().find("unreadable"), std::string::npos) << unreadable.reason();
}

TEST(EnergyMeter, LaptopFixtureUsesThePackageNotPsys) {
  InferenceEnergyMeter meter(test::fixture("intel_laptop"), 0.0);
  ASSERT_TRUE(meter.available()) << meter.reason();
  meter.after_run(1);
  meter.after_run(2);
  const MeasuredEnergy e = meter.result();
  EXPECT_TRUE(e.measured);
  ASSERT_EQ(e.zones.size(), 1u);
  EXPECT_EQ(e.zones[0], "intel-rapl:0 (package-0)");
  EXPECT_EQ(e.energy_j, 0);  // a fixture does not change
}

}  // namespace
}  // namespace ew::device
