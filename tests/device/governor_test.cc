// Step-wise governor: one step per poll, hysteresis band, floor, shutdown.
#include "device/governor.h"

#include <gtest/gtest.h>

namespace ew {
namespace {

using Action = StepwiseGovernor::Action;

StepwiseGovernor make(int points = 3) {
  auto g = StepwiseGovernor::create({80, 5, 100}, points);
  EXPECT_TRUE(g.is_ok()) << g.status().to_string();
  return *g;
}

TEST(Governor, LowersOneStepPerPollAndStopsAtTheFloor) {
  StepwiseGovernor g = make();
  EXPECT_EQ(g.point(), 2);
  EXPECT_FALSE(g.throttled());
  EXPECT_EQ(g.poll(79.9), Action::kHold);
  EXPECT_EQ(g.poll(80), Action::kLower);  // at the trip counts
  EXPECT_EQ(g.point(), 1);
  EXPECT_TRUE(g.throttled());
  EXPECT_EQ(g.poll(85), Action::kLower);
  EXPECT_EQ(g.point(), 0);
  EXPECT_EQ(g.poll(90), Action::kHold);  // nothing lower
  EXPECT_EQ(g.point(), 0);
}

TEST(Governor, HysteresisBandHoldsThenRaisesOneStepPerPoll) {
  StepwiseGovernor g = make();
  g.poll(81);
  g.poll(81);
  ASSERT_EQ(g.point(), 0);
  EXPECT_EQ(g.poll(79), Action::kHold);  // below the trip but inside the band
  EXPECT_EQ(g.poll(75.1), Action::kHold);
  EXPECT_EQ(g.point(), 0);
  EXPECT_EQ(g.poll(75), Action::kRaise);  // at throttle - hysteresis counts
  EXPECT_EQ(g.point(), 1);
  EXPECT_EQ(g.poll(60), Action::kRaise);
  EXPECT_EQ(g.point(), 2);
  EXPECT_EQ(g.poll(30), Action::kHold);  // already at the top
  EXPECT_FALSE(g.throttled());
}

TEST(Governor, CriticalMeansShutdownForGood) {
  StepwiseGovernor g = make();
  EXPECT_EQ(g.poll(100), Action::kShutdown);
  EXPECT_TRUE(g.shut_down());
  EXPECT_EQ(g.poll(20), Action::kShutdown);
  EXPECT_STREQ(governor_action_name(Action::kShutdown), "shutdown");
}

TEST(Governor, SinglePointCanOnlyHoldOrShutDown) {
  StepwiseGovernor g = make(1);
  EXPECT_EQ(g.poll(90), Action::kHold);
  EXPECT_FALSE(g.throttled());
  EXPECT_EQ(g.poll(101), Action::kShutdown);
}

TEST(Governor, BadLimitsAreErrors) {
  EXPECT_FALSE(StepwiseGovernor::create({80, 5, 100}, 0).is_ok());
  EXPECT_FALSE(StepwiseGovernor::create({80, -1, 100}, 3).is_ok());
  auto inverted = StepwiseGovernor::create({80, 5, 70}, 3);
  ASSERT_FALSE(inverted.is_ok());
  EXPECT_NE(inverted.status().message().find("must be above the throttle temperature"), std::string::npos);
  EXPECT_FALSE(StepwiseGovernor::from_spec(ThermalSpec{}, 3).is_ok());
}

}  // namespace
}  // namespace ew
