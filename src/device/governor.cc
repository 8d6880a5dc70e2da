#include "device/governor.h"

#include <cmath>

namespace ew {

Result<StepwiseGovernor> StepwiseGovernor::create(const GovernorLimits& l, int points) {
  if (points < 1) return invalid_argument("a governor needs at least one operating point");
  if (!std::isfinite(l.throttle_c) || !std::isfinite(l.critical_c) || !(l.hysteresis_c >= 0))
    return invalid_argument("governor limits must be finite with hysteresis >= 0");
  if (!(l.critical_c > l.throttle_c))
    return invalid_argument("governor critical temperature (" + std::to_string(l.critical_c) +
                            " °C) must be above the throttle temperature (" + std::to_string(l.throttle_c) + " °C)");
  return StepwiseGovernor(l, points);
}

Result<StepwiseGovernor> StepwiseGovernor::from_spec(const ThermalSpec& spec, int points) {
  if (!(spec.critical_c.value > 0) && !(spec.throttle_c.value > 0))
    return invalid_argument("the device profile has no thermal trip points (thermal.throttle_c, thermal.critical_c)");
  return create({spec.throttle_c.value, spec.hysteresis_c.value, spec.critical_c.value}, points);
}

StepwiseGovernor::Action StepwiseGovernor::poll(double c) {
  if (shut_down_ || c >= limits_.critical_c) {
    shut_down_ = true;
    return Action::kShutdown;
  }
  if (c >= limits_.throttle_c) {
    if (point_ == 0) return Action::kHold;
    --point_;
    return Action::kLower;
  }
  if (c <= limits_.throttle_c - limits_.hysteresis_c && point_ < top()) {
    ++point_;
    return Action::kRaise;
  }
  return Action::kHold;
}

const char* governor_action_name(StepwiseGovernor::Action a) {
  switch (a) {
    case StepwiseGovernor::Action::kHold: return "hold";
    case StepwiseGovernor::Action::kLower: return "lower";
    case StepwiseGovernor::Action::kRaise: return "raise";
    case StepwiseGovernor::Action::kShutdown: return "shutdown";
  }
  return "?";
}

}  // namespace ew
