// Calibration of tensors inside If/Loop/Scan bodies: every iteration feeds
// the range, body inputs are observed, and a branch that never ran gets no
// range instead of failing the calibration.
#include <gtest/gtest.h>

#include <algorithm>

#include "quant/calibration.h"
#include "quant/control_flow_models.h"

namespace ew {
namespace {

// x[1,4] in [0.5, 1): Loop 3 times h = h * 2, so h_in takes x, 2x, 4x and h_out 2x, 4x, 8x.
Model doubling_loop() {
  auto body = test::make_graph(
      "double_body",
      {test::typed("iter", DType::kInt64, {}), test::typed("cond_in", DType::kBool, {}),
       test::typed("h_in", DType::kFloat32, {1, 4})},
      {test::typed("cond_out", DType::kBool, {}), test::typed("h_out", DType::kFloat32, {1, 4})},
      {test::make_node("Mul", {"h_in", "two"}, {"h_out"}), test::make_node("Identity", {"cond_in"}, {"cond_out"})},
      {{"two", test::make_f32({}, {2.0f})}});
  auto g = test::make_graph("doubling", {test::typed("x", DType::kFloat32, {1, 4})}, {test::untyped("y")},
                            {test::make_node("Loop", {"trips", "", "x"}, {"y"}, {{"body", Attribute::make_graph(body)}})},
                            {{"trips", test::make<int64_t>({}, {3})}});
  return test::model_of(g);
}

TEST(CalibrationInBodies, LoopBodyRangeCoversEveryIteration) {
  Model m = doubling_loop();
  std::vector<std::map<std::string, Tensor>> samples;
  float lo = 1.0f, hi = 0.0f;
  for (uint32_t s = 0; s < 4; ++s) {
    Tensor x = test::pseudo_random({1, 4}, 70 + s, 0.5f, 1.0f);
    lo = std::min(lo, *std::min_element(x.data<float>(), x.data<float>() + 4));
    hi = std::max(hi, *std::max_element(x.data<float>(), x.data<float>() + 4));
    samples.push_back({{"x", x}});
  }
  test::VectorSource data(samples);
  quant::CalibrationOptions o;
  o.method = quant::CalibrationMethod::kMinMax;
  auto r = quant::calibrate(m, data, {"h_in", "h_out"}, o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->at("h_in").min, lo);       // first iteration
  EXPECT_EQ(r->at("h_in").max, 4 * hi);   // third iteration
  EXPECT_EQ(r->at("h_out").min, 2 * lo);
  EXPECT_EQ(r->at("h_out").max, 8 * hi);
}

TEST(CalibrationInBodies, ScanSlicesAndBranchTensorsAreObserved) {
  Model scan = test::scan_model();
  test::VectorSource data(test::samples_for(scan, 3, 5));
  auto r = quant::calibrate(scan, data, {"x_t", "y_t", "s_in"}, {});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_LT(r->at("x_t").min, 0.0f);
  EXPECT_GT(r->at("x_t").max, 0.0f);
  EXPECT_EQ(r->at("s_in").min <= 0.0f, true);  // the zero initial state is seen
}

TEST(CalibrationInBodies, BranchThatNeverRanHasNoRange) {
  Model m = test::if_outer_model();
  std::vector<std::map<std::string, Tensor>> positive{{{"x", test::pseudo_random({1, 16}, 3, 0.1f, 1.0f)}}};
  test::VectorSource data(positive);
  auto r = quant::calibrate(m, data, {"t_m1", "e_m1", "x_mean"}, {});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r->count("t_m1"));
  EXPECT_FALSE(r->count("e_m1"));
  auto missing = quant::calibrate(m, data, {"no_such_tensor"}, {});
  EXPECT_FALSE(missing.is_ok());
}

}  // namespace
}  // namespace ew
