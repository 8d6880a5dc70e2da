// RAPL counters: wrap-around arithmetic and RaplCounter over a scratch tree.
#include "device/rapl.h"

#include <gtest/gtest.h>

#include "device/fixture_paths.h"

namespace ew::device {
namespace {

constexpr int64_t kMax = 262143328850;  // a common package-domain max_energy_range_uj

TEST(RaplTest, DeltaWithoutWrap) {
  EXPECT_EQ(*rapl_energy_delta_uj(1000, 251000, kMax), 250000);
  EXPECT_EQ(*rapl_energy_delta_uj(5, 5, kMax), 0);
}

TEST(RaplTest, DeltaAcrossWrap) {
  // 262143000000 -> wraps at 262143328850 -> 1000000: 328850 before the wrap + 1000000 after.
  auto d = rapl_energy_delta_uj(262143000000, 1000000, kMax);
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(*d, 1328850);
  EXPECT_EQ(*rapl_energy_delta_uj(kMax, 0, kMax), 0);
}

TEST(RaplTest, DeltaRejectsBadInput) {
  EXPECT_FALSE(rapl_energy_delta_uj(0, 10, 0).is_ok());
  EXPECT_FALSE(rapl_energy_delta_uj(-1, 10, kMax).is_ok());
  EXPECT_FALSE(rapl_energy_delta_uj(0, kMax + 1, kMax).is_ok());
}

TEST(RaplTest, CounterAccumulatesAcrossWrap) {
  test::ScratchRoot s;
  const std::string zone = "/sys/class/powercap/intel-rapl:0";
  s.write(zone + "/max_energy_range_uj", std::to_string(kMax) + "\n");
  s.write(zone + "/energy_uj", "262142000000\n");
  RaplCounter counter(s.root(), zone);
  ASSERT_TRUE(counter.start().is_ok());
  s.write(zone + "/energy_uj", "262143000000\n");
  EXPECT_EQ(*counter.elapsed_uj(), 1000000);
  s.write(zone + "/energy_uj", "1000000\n");
  EXPECT_EQ(*counter.elapsed_uj(), 1000000 + 1328850);
}

TEST(RaplTest, CounterFailsCleanlyWhenUnreadableOrAbsent) {
  test::ScratchRoot s;
  const std::string zone = "/sys/class/powercap/intel-rapl:0";
  RaplCounter absent(s.root(), zone);
  Status st = absent.start();
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_FALSE(absent.elapsed_uj().is_ok());

  s.write(zone + "/max_energy_range_uj", std::to_string(kMax));
  s.make_dir(zone + "/energy_uj");  // read() fails like a root-only counter
  RaplCounter unreadable(s.root(), zone);
  EXPECT_EQ(unreadable.start().code(), StatusCode::kIoError);

  s.write(zone + "/max_energy_range_uj", "lots");
  RaplCounter garbage(s.root(), zone);
  EXPECT_EQ(garbage.start().code(), StatusCode::kIoError);
}

TEST(RaplTest, CounterOnFixtureZone) {
  RaplCounter core(test::fixture("intel_laptop"), "/sys/class/powercap/intel-rapl:0/intel-rapl:0:0");
  ASSERT_TRUE(core.start().is_ok());
  EXPECT_EQ(*core.elapsed_uj(), 0);
  RaplCounter uncore(test::fixture("intel_laptop"), "/sys/class/powercap/intel-rapl:0/intel-rapl:0:1");
  EXPECT_FALSE(uncore.start().is_ok());
}

}  // namespace
}  // namespace ew::device
