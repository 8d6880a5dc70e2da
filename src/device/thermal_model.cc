#include "device/thermal_model.h"

#include <cmath>

namespace ew {

Result<ThermalModel> ThermalModel::create(double ambient_c, double resistance_c_per_w, double time_constant_s,
                                          double initial_c) {
  if (!(resistance_c_per_w > 0) || !std::isfinite(resistance_c_per_w))
    return invalid_argument("thermal resistance must be a positive number of °C/W, got " +
                            std::to_string(resistance_c_per_w));
  if (!(time_constant_s > 0) || !std::isfinite(time_constant_s))
    return invalid_argument("thermal time constant must be a positive number of seconds, got " +
                            std::to_string(time_constant_s));
  if (!std::isfinite(ambient_c)) return invalid_argument("ambient temperature must be finite");
  return ThermalModel(ambient_c, resistance_c_per_w, time_constant_s, std::isnan(initial_c) ? ambient_c : initial_c);
}

Result<ThermalModel> ThermalModel::from_spec(const ThermalSpec& spec) {
  if (!(spec.resistance_c_per_w.value > 0) || !(spec.time_constant_s.value > 0))
    return invalid_argument("the device profile has no thermal data (thermal.resistance_c_per_w and "
                            "thermal.time_constant_s must be positive)");
  return create(spec.ambient_c.value, spec.resistance_c_per_w.value, spec.time_constant_s.value, NAN);
}

void ThermalModel::step(double power_w, double dt_s) {
  if (!(dt_s > 0)) return;
  temperature_c_ += (steady_state(power_w) - temperature_c_) * -std::expm1(-dt_s / tau_);
}

double ThermalModel::after(double power_w, double t_s) const {
  const double ss = steady_state(power_w);
  return ss + (temperature_c_ - ss) * std::exp(-t_s / tau_);
}

}  // namespace ew
