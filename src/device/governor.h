// A step-wise thermal governor, the policy of Linux's step_wise governor on a
// passive trip: polled every `polling_interval_s`, it
//   - lowers the operating point one step when the temperature is at or above throttle_c,
//   - raises it one step when the temperature is at or below throttle_c − hysteresis_c,
//   - holds it in between (the hysteresis band keeps it from oscillating each poll),
//   - and at or above critical_c reports a shutdown (the device powers off).
// It starts at the top point. At the lowest point it can lower no further and
// the temperature may keep climbing to critical_c.
#pragma once

#include "device/device_profile.h"

namespace ew {

struct GovernorLimits {
  double throttle_c = 0, hysteresis_c = 0, critical_c = 0;
};

class StepwiseGovernor {
 public:
  enum class Action { kHold, kLower, kRaise, kShutdown };

  // `points` operating points (>= 1), starting at the top one. Errors on
  // limits out of order (hysteresis < 0, critical <= throttle) or no points.
  static Result<StepwiseGovernor> create(const GovernorLimits& limits, int points);
  static Result<StepwiseGovernor> from_spec(const ThermalSpec& spec, int points);

  // One poll at temperature `c`. After kShutdown every poll returns kShutdown.
  Action poll(double c);

  int point() const { return point_; }
  int top() const { return points_ - 1; }
  bool throttled() const { return point_ < top(); }
  bool shut_down() const { return shut_down_; }
  const GovernorLimits& limits() const { return limits_; }

 private:
  StepwiseGovernor(GovernorLimits limits, int points) : limits_(limits), points_(points), point_(points - 1) {}
  GovernorLimits limits_;
  int points_, point_;
  bool shut_down_ = false;
};

const char* governor_action_name(StepwiseGovernor::Action a);

}  // namespace ew
