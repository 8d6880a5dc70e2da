// DVFS: scaling of compute time and energy per operating point.
#include "device/dvfs.h"

#include <gtest/gtest.h>

#include "device/sustained_test_util.h"

namespace ew {
namespace {

TEST(Dvfs, PointsScaleFrequencyAndVoltageSquared) {
  auto m = dvfs_model(test::test_board(), "cpu");
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  ASSERT_EQ(m->points.size(), 3u);
  EXPECT_FALSE(m->nominal_only);
  EXPECT_EQ(m->top(), 2);
  EXPECT_DOUBLE_EQ(m->points[0].speed, 1.0 / 3);
  EXPECT_DOUBLE_EQ(m->points[0].energy_scale, 0.64);
  EXPECT_DOUBLE_EQ(m->points[1].energy_scale, 0.81);
  EXPECT_DOUBLE_EQ(m->points[2].speed, 1.0);
  EXPECT_DOUBLE_EQ(m->points[2].energy_scale, 1.0);
}

TEST(Dvfs, TopPointIsTheRoofline) {
  const DeviceProfile board = test::test_board();
  const ModelPrediction top = test::one_op_model(board, 1'000'000'000, 1'000'000);
  auto m = dvfs_model(board, "cpu");
  const PointPrediction p = predict_at_point(top, board, *m, m->top());
  EXPECT_DOUBLE_EQ(p.latency_s, top.latency_s);
  EXPECT_DOUBLE_EQ(p.energy_j, top.energy_j);
  EXPECT_NEAR(p.power_w, top.energy_j / top.latency_s, 1e-12);
  ASSERT_EQ(top.ops.size(), 1u);  // the roofline splits each op's energy into compute and memory
  EXPECT_NEAR(top.ops[0].compute_energy_j, 0.4, 1e-12);
  EXPECT_NEAR(top.ops[0].memory_energy_j, 1e-4, 1e-15);
  EXPECT_DOUBLE_EQ(top.ops[0].energy_j, top.ops[0].compute_energy_j + top.ops[0].memory_energy_j);
}

TEST(Dvfs, ComputeBoundOpSlowsAndSavesEnergyPerOperation) {
  const DeviceProfile board = test::test_board();
  // 1e9 MACs: 0.2 s of compute at 10 GOP/s, 0.4 J; 1 MB: 0.1 ms and 0.1 mJ of memory.
  const ModelPrediction top = test::one_op_model(board, 1'000'000'000, 1'000'000);
  ASSERT_NEAR(top.latency_s, 0.2, 1e-12);
  auto rows = predict_dvfs(top, board, *dvfs_model(board, "cpu"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_NEAR(rows[0].latency_s, 0.6, 1e-12);                       // f_max / f = 3
  EXPECT_NEAR(rows[0].dynamic_energy_j, 0.4 * 0.64 + 1e-4, 1e-12);  // (0.8 / 1.0)^2
  EXPECT_NEAR(rows[0].static_energy_j, 0.6, 1e-12);                 // 1 W over the longer inference
  // Dynamic compute power ∝ V^2 f: 2 W at the top, 2 * 0.64 / 3 at 500 MHz.
  EXPECT_NEAR((rows[0].dynamic_energy_j - 1e-4) / rows[0].latency_s, 2.0 * 0.64 / 3, 1e-9);
  EXPECT_NEAR((rows[2].dynamic_energy_j - 1e-4) / rows[2].latency_s, 2.0, 1e-9);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_LT(rows[i].latency_s, rows[i - 1].latency_s);
    EXPECT_GT(rows[i].dynamic_energy_j, rows[i - 1].dynamic_energy_j);
    EXPECT_GT(rows[i].power_w, rows[i - 1].power_w);
  }
}

TEST(Dvfs, MemoryBoundOpKeepsItsLatencyUntilComputeOvertakes) {
  const DeviceProfile board = test::test_board();
  // 1e6 MACs (0.2 ms compute) and 50 MB (5 ms memory): memory-bound at every point.
  const ModelPrediction top = test::one_op_model(board, 1'000'000, 50'000'000);
  auto rows = predict_dvfs(top, board, *dvfs_model(board, "cpu"));
  for (const PointPrediction& r : rows) EXPECT_NEAR(r.latency_s, 0.005, 1e-12);
}

TEST(Dvfs, UnitWithoutPointsHasOneNominalPoint) {
  DeviceProfile board = test::test_board();
  board.compute_units[0].operating_points.clear();
  auto m = dvfs_model(board, "cpu");
  ASSERT_TRUE(m.is_ok());
  EXPECT_TRUE(m->nominal_only);
  ASSERT_EQ(m->points.size(), 1u);
  EXPECT_EQ(m->points[0].frequency_mhz, 0);
  const ModelPrediction top = test::one_op_model(board, 1'000'000'000, 0);
  EXPECT_DOUBLE_EQ(predict_at_point(top, board, *m, 0).latency_s, top.latency_s);
  EXPECT_DOUBLE_EQ(predict_at_point(top, board, *m, 7).latency_s, top.latency_s);  // clamped
}

TEST(Dvfs, BadUnitOrTableIsAnError) {
  DeviceProfile board = test::test_board();
  auto missing = dvfs_model(board, "npu");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("no compute unit 'npu'"), std::string::npos);
  board.compute_units[0].operating_points = {{1000, 0.9}, {800, 1.0}};
  EXPECT_EQ(dvfs_model(board, "cpu").status().code(), StatusCode::kInvalidArgument);
}

TEST(Dvfs, OpsOnOtherUnitsAreNotScaled) {
  DeviceProfile board = test::test_board();
  ComputeUnit npu;
  npu.name = npu.kind = "npu";
  npu.peak_gops = {{Precision::kInt8, {1000, "test"}}};
  npu.energy_per_mac_pj = {{Precision::kInt8, {1, "test"}}};
  board.compute_units.push_back(npu);
  const ModelPrediction int8 = test::one_op_model(board, 1'000'000'000, 0, Precision::kInt8);
  EXPECT_EQ(dominant_unit(int8, board), "npu");
  auto cpu = dvfs_model(board, "cpu");
  EXPECT_DOUBLE_EQ(predict_at_point(int8, board, *cpu, 0).latency_s, int8.latency_s);
  const ModelPrediction fp32 = test::one_op_model(board, 1'000'000'000, 0);
  EXPECT_EQ(dominant_unit(fp32, board), "cpu");
}

TEST(Dvfs, UnitTableGivesEnergyPerMacAndFullRatePower) {
  auto rows = dvfs_unit_table(test::test_board(), "cpu");
  ASSERT_TRUE(rows.is_ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_NEAR((*rows)[2].energy_per_mac_j.at(Precision::kFp32), 400e-12, 1e-18);
  EXPECT_NEAR((*rows)[0].energy_per_mac_j.at(Precision::kFp32), 400e-12 * 0.64, 1e-18);
  EXPECT_NEAR((*rows)[2].full_rate_power_w.at(Precision::kFp32), 2.0, 1e-9);  // 5 GMAC/s x 400 pJ
  EXPECT_NEAR((*rows)[0].full_rate_power_w.at(Precision::kInt8), 20e9 / 3 * 50e-12 * 0.64, 1e-9);
}

TEST(Dvfs, BundledProfilesHaveUsableTables) {
  for (const std::string& name : list_device_profiles()) {
    if (name == "host") continue;
    auto p = load_device_profile(name);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    for (const ComputeUnit& u : p->compute_units) {
      auto m = dvfs_model(*p, u.name);
      ASSERT_TRUE(m.is_ok()) << name << "/" << u.name << ": " << m.status().to_string();
      EXPECT_EQ(m->nominal_only, u.operating_points.empty());
    }
  }
}

}  // namespace
}  // namespace ew
