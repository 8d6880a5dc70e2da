// RC thermal model: stepping against the closed form.
#include "device/thermal_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "device/sustained_test_util.h"

namespace ew {
namespace {

double closed_form(double t, double power) { return 25 + 15 * power * (1 - std::exp(-t / 30)); }

TEST(ThermalModel, SteppingMatchesClosedFormForAnyStep) {
  for (double dt : {0.001, 0.1, 1.0, 7.0, 37.0}) {
    auto m = ThermalModel::from_spec(test::test_board().thermal);
    ASSERT_TRUE(m.is_ok()) << m.status().to_string();
    double t = 0;
    while (t < 300 - 1e-9) {
      const double step = std::min(dt, 300 - t);
      m->step(3.0, step);
      t += step;
      ASSERT_NEAR(m->temperature(), closed_form(t, 3.0), 1e-9) << "dt " << dt << " t " << t;
    }
  }
}

TEST(ThermalModel, SteadyStateAndCoolingFromAHotStart) {
  auto m = ThermalModel::create(25, 15, 30, 80);
  ASSERT_TRUE(m.is_ok());
  EXPECT_DOUBLE_EQ(m->steady_state(2), 55);
  EXPECT_DOUBLE_EQ(m->power_for(60), 35.0 / 15);
  const double predicted = m->after(1.0, 45);
  EXPECT_NEAR(predicted, 40 + 40 * std::exp(-1.5), 1e-12);
  m->step(1.0, 45);
  EXPECT_NEAR(m->temperature(), predicted, 1e-12);
  for (int i = 0; i < 100; ++i) m->step(1.0, 30);
  EXPECT_NEAR(m->temperature(), 40, 1e-9);
  m->step(5.0, 0);  // no time, no change
  m->step(5.0, -1);
  EXPECT_NEAR(m->temperature(), 40, 1e-9);
}

TEST(ThermalModel, MissingThermalDataIsAClearError) {
  ThermalSpec none;
  auto m = ThermalModel::from_spec(none);
  ASSERT_FALSE(m.is_ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("no thermal data"), std::string::npos);
  EXPECT_FALSE(ThermalModel::create(25, -1, 30, NAN).is_ok());
  EXPECT_FALSE(ThermalModel::create(25, 1, 0, NAN).is_ok());
  EXPECT_FALSE(ThermalModel::create(25, INFINITY, 1, NAN).is_ok());
  EXPECT_DOUBLE_EQ(ThermalModel::create(30, 1, 1, NAN)->temperature(), 30);
}

}  // namespace
}  // namespace ew
