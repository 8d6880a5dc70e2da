#include "quant/quantize_model.h"

#include <gtest/gtest.h>

#include "quant_test_util.h"

namespace ew::quant {
namespace {

TEST(QuantizeModel, StaticPipelineWithAdjustments) {
  Model m = test::small_cnn();
  test::VectorSource data(test::small_cnn_feeds(4));
  QuantizeOptions o;
  o.equalize = true;
  o.bias_correction = true;
  CalibrationOptions c;
  c.method = CalibrationMethod::kMinMax;
  int progress_calls = 0;
  c.progress = [&](int, int) { ++progress_calls; };
  QuantizeReport r;
  Status s = quantize_model(m, o, &data, c, &r);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_EQ(r.calibration_samples, 4);
  EXPECT_EQ(progress_calls, 4);
  EXPECT_EQ(r.equalized_pairs, 0);  // conv1's output also feeds the Add: not a chain
  EXPECT_EQ(r.bias_corrected_layers, 3);
  EXPECT_EQ(r.ops_before.at("Relu"), 1);
  EXPECT_GT(r.ops_after.at("QuantizeLinear"), 0);
  auto out = test::run_model(m, test::small_cnn_feeds(1)[0], SessionOptions{});
  EXPECT_EQ(out.size(), 1u);
}

TEST(QuantizeModel, StaticNeedsData) {
  Model m = test::small_cnn();
  EXPECT_FALSE(quantize_model(m, {}, nullptr, {}, nullptr).is_ok());
}

TEST(QuantizeModel, Fp16Dispatch) {
  Model m = test::small_cnn();
  QuantizeOptions o;
  o.mode = QuantMode::kFp16;
  QuantizeReport r;
  Status s = quantize_model(m, o, nullptr, {}, &r);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_EQ(r.mode, QuantMode::kFp16);
  EXPECT_GT(r.bytes_after, 0);  // tiny weights: the Cast nodes cost more than fp16 saves
  ASSERT_EQ(r.layers.size(), 3u);
  EXPECT_EQ(r.layers[0].bits, 16);
}

TEST(QuantizeModel, ModeNames) {
  for (const char* n : {"static", "dynamic", "fp16", "int4"}) {
    auto mode = quant_mode_from_name(n);
    ASSERT_TRUE(mode.is_ok());
    EXPECT_STREQ(quant_mode_name(*mode), n);
  }
  EXPECT_FALSE(quant_mode_from_name("int2").is_ok());
}

}  // namespace
}  // namespace ew::quant
