// One-pole RC thermal model of a device: a thermal resistance R (°C/W, junction
// to ambient with the stock cooling) and a time constant τ (s). Under constant
// power P from temperature T0
//   T(t) = T_ss + (T0 − T_ss)·e^(−t/τ),   T_ss = T_amb + R·P,
// which from T0 = T_amb is the familiar T_amb + R·P·(1 − e^(−t/τ)).
//
// step() uses the exact discretisation of that ODE for power held constant over
// the step, T += (T_amb + R·P − T)·(1 − e^(−dt/τ)), so the result does not depend
// on the step size when power is piecewise constant (no Euler drift).
#pragma once

#include "device/device_profile.h"

namespace ew {

class ThermalModel {
 public:
  // Errors when the spec has no thermal data (R or τ not positive, or not finite).
  static Result<ThermalModel> from_spec(const ThermalSpec& spec);
  // Starts at `initial_c` (ambient when NaN).
  static Result<ThermalModel> create(double ambient_c, double resistance_c_per_w, double time_constant_s,
                                     double initial_c);

  double temperature() const { return temperature_c_; }
  double ambient() const { return ambient_c_; }
  void set_temperature(double c) { temperature_c_ = c; }

  // Holds `power_w` for `dt_s` seconds (dt_s <= 0 does nothing).
  void step(double power_w, double dt_s);
  // Where the temperature settles under constant power.
  double steady_state(double power_w) const { return ambient_c_ + resistance_ * power_w; }
  // Closed form: the temperature after t seconds at constant power from now.
  double after(double power_w, double t_s) const;
  // Power that holds the device at `temperature_c` in steady state.
  double power_for(double temperature_c) const { return (temperature_c - ambient_c_) / resistance_; }

 private:
  ThermalModel(double ambient_c, double r, double tau, double t0)
      : ambient_c_(ambient_c), resistance_(r), tau_(tau), temperature_c_(t0) {}
  double ambient_c_, resistance_, tau_, temperature_c_;
};

}  // namespace ew
