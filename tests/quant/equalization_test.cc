#include "quant/equalization.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ir/onnx_import.h"
#include "quant/preprocess.h"
#include "quant_test_util.h"

namespace ew::quant {
namespace {

// x -> Conv 1x1 (8) -> Relu -> depthwise 3x3 -> Conv 1x1 (4), weights with very unequal channel ranges.
Model separable_chain() {
  GraphBuilder b("chain", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(3), Dim(5), Dim(5)});
  Tensor w1 = test::pseudo_random({8, 3, 1, 1}, 1);
  for (int64_t i = 0; i < 3; ++i) w1.data<float>()[i] *= 20.0f;  // channel 0 is large
  std::string c1 =
      b.node("Conv", {x, b.constant("w1", w1), b.constant("b1", test::pseudo_random({8}, 2))}, {}, "expand");
  std::string r = b.node("Relu", {c1});
  std::string c2 =
      b.node("Conv",
             {r, b.constant("w2", test::pseudo_random({8, 1, 3, 3}, 3)), b.constant("b2", test::pseudo_random({8}, 4))},
             {{"group", Attribute::make_int(8)}, {"pads", Attribute::make_ints({1, 1, 1, 1})}}, "dw");
  std::string c3 = b.node("Conv", {c2, b.constant("w3", test::pseudo_random({4, 8, 1, 1}, 5))}, {}, "project");
  b.output(c3);
  auto m = b.build();
  EXPECT_TRUE(m.is_ok());
  return std::move(m).value();
}

double channel_absmax(const Tensor& w, int64_t c) {
  const int64_t per = w.numel() / w.dim(0);
  double r = 0;
  for (int64_t i = 0; i < per; ++i) r = std::max(r, std::fabs(double(w.data<float>()[c * per + i])));
  return r;
}

TEST(Equalization, ChainKeepsOutputsAndBalancesRanges) {
  Model m = separable_chain();
  Model before = m;
  EqualizeReport r;
  ASSERT_TRUE(equalize(m, {}, &r).is_ok());
  EXPECT_EQ(r.pairs, 2);
  auto feed = std::map<std::string, Tensor>{{"x", test::pseudo_random({1, 3, 5, 5}, 9)}};
  test::expect_near_outputs(test::run_model(m, feed), test::run_model(before, feed), 1e-4);
  // Expand's output channel 0 and the depthwise channel 0 now have (nearly) equal ranges.
  const Tensor& w1 = *m.graph.initializer("w1");
  const Tensor& w2 = *m.graph.initializer("w2");
  EXPECT_NEAR(channel_absmax(w1, 0), channel_absmax(w2, 0), 0.05 * channel_absmax(w1, 0));
  EXPECT_LT(channel_absmax(w1, 0), channel_absmax(*before.graph.initializer("w1"), 0));
  // The original model's weights are untouched (no shared buffers written).
  Model fresh = separable_chain();
  EXPECT_EQ(before.graph.initializer("w1")->data<float>()[0], fresh.graph.initializer("w1")->data<float>()[0]);
}

TEST(Equalization, FashionMbnetUnchangedOutputs) {
  EW_REQUIRE_SHARED_MODELS();
  auto loaded = load_onnx(test::shared_models_dir() + "/fashion_mbnet/model.onnx");
  ASSERT_TRUE(loaded.is_ok());
  Model m = std::move(loaded).value();
  ASSERT_TRUE(preprocess(m).is_ok());
  Model before = m;
  EqualizeReport r;
  ASSERT_TRUE(equalize(m, {}, &r).is_ok());
  EXPECT_EQ(r.clips_replaced, 0);
  auto feed = std::map<std::string, Tensor>{{"input", test::pseudo_random({2, 1, 28, 28}, 4, 0.0f, 1.0f)}};
  test::expect_near_outputs(test::run_model(m, feed), test::run_model(before, feed), 1e-4);
  // Through ReLU6 (made Relu) many more pairs qualify.
  Model relu = before;
  EqualizeOptions o;
  o.relu6_as_relu = true;
  EqualizeReport rr;
  ASSERT_TRUE(equalize(relu, o, &rr).is_ok());
  EXPECT_GT(rr.pairs, r.pairs);
  EXPECT_GT(rr.clips_replaced, 0);
}

}  // namespace
}  // namespace ew::quant
