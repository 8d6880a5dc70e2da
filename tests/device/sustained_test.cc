// Sustained-run simulation on the synthetic test board (numbers worked out in
// the comments) and a bundled profile.
#include "device/sustained.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include <nlohmann/json.hpp>

#include "device/sustained_test_util.h"

namespace ew {
namespace {

// fp32: 1e9 MACs = 0.2 s and 0.4 J at the top point; with 1 W static, 3.0 W in
// all, which settles at 25 + 15 * 3 = 70 °C on the default board: above the 60 °C trip.
SustainedVariant fp32_variant(const DeviceProfile& board, std::optional<double> accuracy = std::nullopt) {
  return {"fp32.onnx", test::one_op_model(board, 1'000'000'000, 1'000'000), accuracy};
}
// int8: 0.05 s and 0.05 J, 2.0 W in all: settles at 55 °C.
SustainedVariant int8_variant(const DeviceProfile& board, std::optional<double> accuracy = std::nullopt) {
  return {"int8.onnx", test::one_op_model(board, 1'000'000'000, 1'000'000, Precision::kInt8), accuracy};
}

SustainedOptions seconds(double s) {
  SustainedOptions o;
  o.seconds = s;
  return o;
}

TEST(Sustained, CoolDeviceNeverThrottles) {
  const DeviceProfile board = test::test_board(5.0);  // 3 W settles at 40 °C
  auto r = simulate_sustained(board, fp32_variant(board), std::nullopt, seconds(600));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const SustainedRun& run = r->primary_run;
  EXPECT_FALSE(run.trip_s);
  EXPECT_FALSE(run.first_throttle_s);
  EXPECT_FALSE(run.shutdown_s);
  ASSERT_TRUE(run.recovery_s);
  EXPECT_EQ(*run.recovery_s, 0);
  EXPECT_NEAR(run.mean_latency_s, 0.2, 1e-9);
  EXPECT_NEAR(run.steady_latency_s, 0.2, 1e-9);
  EXPECT_NEAR(static_cast<double>(run.inferences), 3000, 1);
  EXPECT_NEAR(run.steady_power_w, 3.0005, 1e-6);
  EXPECT_NEAR(run.energy_per_inference_j, 0.6001, 1e-6);
  EXPECT_NEAR(r->full_load_steady_c, 25 + 5 * 3.0005, 1e-9);
  EXPECT_NEAR(run.end_temperature_c, 25 + 5 * 3.0005 * (1 - std::exp(-20.0)), 1e-6);
  EXPECT_EQ(run.throttled_s, 0);
  EXPECT_EQ(run.samples.size(), 601u);  // t = 0, 1, ..., 600
  EXPECT_FALSE(r->thermal_aware_run);
}

TEST(Sustained, HotDeviceThrottlesAtTheClosedFormTimeAndOscillates) {
  const DeviceProfile board = test::test_board();
  auto r = simulate_sustained(board, fp32_variant(board), std::nullopt, seconds(600));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const SustainedRun& run = r->primary_run;
  // 25 + 15 * P * (1 - e^(-t/30)) = 60 at t = 45.1 s; the governor sees it at the next 1 s poll.
  const double p = 0.6001 / 0.2;
  const double t_trip = -30 * std::log(1 - 35 / (15 * p));
  ASSERT_TRUE(run.first_throttle_s);
  EXPECT_EQ(*run.first_throttle_s, std::ceil(t_trip));
  EXPECT_EQ(*run.trip_s, std::ceil(t_trip));
  EXPECT_FALSE(run.shutdown_s);
  // With a 5 °C band the governor cycles: it raises one step per poll while at or
  // below 55 °C, which the thermal lag lets it do twice, and throttles again at 60 °C.
  int lowers = 0;
  for (size_t i = 1; i < run.samples.size(); ++i) {
    EXPECT_GT(run.samples[i].t_s, run.samples[i - 1].t_s);
    lowers += run.samples[i].point < run.samples[i - 1].point;
  }
  EXPECT_GT(lowers, 3);
  EXPECT_GT(run.steady_latency_s, 0.2);
  EXPECT_LT(run.steady_latency_s, 0.6);
  EXPECT_GT(run.throttled_s, 100);
  EXPECT_LT(run.peak_temperature_c, 61);
  ASSERT_TRUE(run.recovery_s);
  EXPECT_LT(*run.recovery_s, 30);
}

TEST(Sustained, WideHysteresisSettlesAtTheMiddlePointAndRecoversIdle) {
  DeviceProfile board = test::test_board();
  board.thermal.hysteresis_c.value = 10;  // recover at 50 °C
  auto r = simulate_sustained(board, fp32_variant(board), std::nullopt, seconds(600));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const SustainedRun& run = r->primary_run;
  EXPECT_EQ(*run.first_throttle_s, 46);
  // 1000 MHz draws (0.4 * 0.81 + 1e-4) / 0.3 + 1 = 2.08 W and settles at 56.2 °C, inside 50-60 °C: it stays.
  EXPECT_NEAR(run.steady_latency_s, 0.3, 1e-6);
  EXPECT_NEAR(run.steady_frequency_mhz, 1000, 1e-9);
  EXPECT_NEAR(run.steady_power_w, (0.3241 + 0.3) / 0.3, 1e-6);
  EXPECT_NEAR(run.steady_temperature_c, 25 + 15 * (0.3241 + 0.3) / 0.3, 0.01);
  EXPECT_GT(run.throttled_s, 500);
  // Idle at 1 W (settling at 40 °C) from 56.2 °C crosses 50 °C after 30 ln(16.2 / 10) = 14.5 s.
  ASSERT_TRUE(run.recovery_s);
  EXPECT_EQ(*run.recovery_s, 15);
  EXPECT_EQ(run.samples.back().variant, "idle");
  EXPECT_EQ(run.samples.back().point, 2);
  EXPECT_NEAR(run.samples.back().t_s, 615, 1e-9);
}

TEST(Sustained, FallbackWhileHotBuysLatencyAndEnergyForAccuracy) {
  const DeviceProfile board = test::test_board();
  auto r = simulate_sustained(board, fp32_variant(board, 76.0), int8_variant(board, 75.0), seconds(600));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_TRUE(r->thermal_aware_run);
  const SustainedRun& base = r->primary_run;
  const SustainedRun& aware = *r->thermal_aware_run;
  // Identical until the first throttle.
  EXPECT_EQ(*aware.first_throttle_s, *base.first_throttle_s);
  EXPECT_GT(aware.fallback_inferences, 0);
  EXPECT_GT(aware.fallback_s, 0);
  EXPECT_LT(aware.fallback_s, aware.load_s);
  EXPECT_LT(aware.mean_latency_s, base.mean_latency_s);
  EXPECT_LT(aware.steady_latency_s, base.steady_latency_s);
  EXPECT_GT(aware.inferences, base.inferences);
  EXPECT_LT(aware.energy_per_inference_j, base.energy_per_inference_j);
  ASSERT_TRUE(base.accuracy && aware.accuracy);
  EXPECT_NEAR(*base.accuracy, 76.0, 1e-9);
  EXPECT_LT(*aware.accuracy, 76.0);
  EXPECT_GT(*aware.accuracy, 75.0);
  EXPECT_NEAR(*aware.accuracy, 76.0 - aware.fallback_s / aware.load_s, 1e-9);
  bool saw_int8 = false, saw_fp32_after = false;
  for (const SustainedSample& s : aware.samples) {
    if (s.variant == "int8.onnx") saw_int8 = true;
    else if (saw_int8 && s.variant == "fp32.onnx") saw_fp32_after = true;
  }
  EXPECT_TRUE(saw_int8);
  EXPECT_TRUE(saw_fp32_after);  // switched back once recovered
}

TEST(Sustained, FallbackUnusedWhenNeverHot) {
  const DeviceProfile board = test::test_board(5.0);
  auto r = simulate_sustained(board, fp32_variant(board, 76.0), int8_variant(board, 75.0), seconds(120));
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->thermal_aware_run->fallback_inferences, 0);
  EXPECT_EQ(r->thermal_aware_run->inferences, r->primary_run.inferences);
  EXPECT_NEAR(*r->thermal_aware_run->accuracy, 76.0, 1e-9);
}

TEST(Sustained, NoLowerPointMeansShutdownAtCritical) {
  DeviceProfile board = test::test_board(30.0);  // 3 W settles at 115 °C > 95 °C critical
  board.compute_units[0].operating_points.clear();
  auto r = simulate_sustained(board, fp32_variant(board), std::nullopt, seconds(600));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r->nominal_only);
  const SustainedRun& run = r->primary_run;
  EXPECT_TRUE(run.trip_s);
  EXPECT_FALSE(run.first_throttle_s);  // nothing to lower
  ASSERT_TRUE(run.shutdown_s);
  EXPECT_LT(*run.shutdown_s, 600);
  EXPECT_EQ(run.load_s, *run.shutdown_s);
  EXPECT_FALSE(run.recovery_s);
  EXPECT_EQ(run.samples.back().variant, "off");
}

TEST(Sustained, BadInputsAreClearErrors) {
  const DeviceProfile board = test::test_board();
  auto negative = simulate_sustained(board, fp32_variant(board), std::nullopt, seconds(-5));
  ASSERT_FALSE(negative.is_ok());
  EXPECT_NE(negative.status().message().find("positive number of seconds"), std::string::npos);
  EXPECT_FALSE(simulate_sustained(board, fp32_variant(board), std::nullopt, seconds(NAN)).is_ok());
  EXPECT_FALSE(simulate_sustained(board, fp32_variant(board), std::nullopt, seconds(1e9)).is_ok());

  DeviceProfile cold = board;
  cold.thermal = ThermalSpec{};
  auto no_thermal = simulate_sustained(cold, fp32_variant(cold), std::nullopt, seconds(10));
  ASSERT_FALSE(no_thermal.is_ok());
  EXPECT_NE(no_thermal.status().message().find("no thermal data"), std::string::npos);

  SustainedVariant empty{"empty.onnx", predict_roofline({}, board), {}};
  auto zero = simulate_sustained(board, empty, std::nullopt, seconds(10));
  ASSERT_FALSE(zero.is_ok());
  EXPECT_NE(zero.status().message().find("no predicted latency"), std::string::npos);

  DeviceProfile other = test::test_board();
  other.name = "other_board";
  EXPECT_FALSE(simulate_sustained(board, fp32_variant(other), std::nullopt, seconds(10)).is_ok());
}

TEST(Sustained, LongRunOfAFastModelTakesMilliseconds) {
  const DeviceProfile board = test::test_board(5.0);  // cool: never throttles
  const SustainedVariant tiny{"tiny.onnx", test::one_op_model(board, 50'000, 0), {}};  // 10 us per inference
  SustainedOptions o = seconds(3600);
  const auto start = std::chrono::steady_clock::now();
  auto r = simulate_sustained(board, tiny, int8_variant(board), o);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r.is_ok());
  EXPECT_NEAR(static_cast<double>(r->primary_run.inferences), 3600 / 1e-5, 3600 / 1e-5 * 1e-6);
  EXPECT_LT(ms, 500) << "a 3600 s simulation took " << ms << " ms";
  auto again = simulate_sustained(board, tiny, int8_variant(board), o);
  EXPECT_EQ(again->primary_run.inferences, r->primary_run.inferences);
  EXPECT_EQ(again->primary_run.energy_j, r->primary_run.energy_j);  // deterministic
}

TEST(Sustained, JsonHasSummaryAndFullSeries) {
  const DeviceProfile board = test::test_board();
  auto r = simulate_sustained(board, fp32_variant(board, 76.0), int8_variant(board, 75.0), seconds(100));
  ASSERT_TRUE(r.is_ok());
  const nlohmann::json j = sustained_to_json(*r);
  EXPECT_EQ(j["device"], "test_board");
  EXPECT_EQ(j["unit"], "cpu");
  EXPECT_EQ(j["primary"]["operating_points"].size(), 3u);
  EXPECT_EQ(j["fallback"]["name"], "int8.onnx");
  const auto& run = j["runs"]["primary"];
  EXPECT_EQ(run["first_throttle_s"], 46);
  EXPECT_EQ(run["series"]["t_s"].size(), r->primary_run.samples.size());
  EXPECT_EQ(run["series"]["temperature_c"].size(), r->primary_run.samples.size());
  EXPECT_TRUE(j["runs"]["thermal_aware"]["series"]["variant"].is_array());
  EXPECT_LT(j["comparison"]["mean_latency_ms"].get<double>(), 0);
  EXPECT_GT(j["comparison"]["accuracy_cost"].get<double>(), 0);
  auto cool = simulate_sustained(test::test_board(5.0), fp32_variant(test::test_board(5.0)), std::nullopt, seconds(10));
  const nlohmann::json c = sustained_to_json(*cool);
  EXPECT_TRUE(c["runs"]["primary"]["first_throttle_s"].is_null());
  EXPECT_TRUE(c["fallback"].is_null());
  EXPECT_FALSE(c.contains("comparison"));
}

TEST(Sustained, BundledRaspberryPi4Runs) {
  auto pi = load_device_profile("raspberry_pi_4");
  ASSERT_TRUE(pi.is_ok()) << pi.status().to_string();
  const SustainedVariant v{"m.onnx", test::one_op_model(*pi, 1'800'000'000, 60'000'000), {}};
  auto r = simulate_sustained(*pi, v, std::nullopt, seconds(600));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->unit, "cpu");
  EXPECT_EQ(r->primary_points.size(), 3u);
  // Whether it throttles follows from the profile's energies: the run agrees with its own steady-state bound.
  EXPECT_EQ(r->primary_run.first_throttle_s.has_value(), r->full_load_steady_c >= 80);
}

}  // namespace
}  // namespace ew
