#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
namespace {
using test::make_f32;
using test::run_node;
using test::values_f32;

// Two hidden units, one input, two steps, with bias, initial h/c and
// peepholes; expected values computed by hand from the ONNX LSTM equations
// (iofc gates, iof peepholes).
const Tensor kX = make_f32({2, 1, 1}, {1, -2});
const Tensor kW = make_f32({1, 8, 1}, {0.1f, 0.2f, 0.3f, -0.4f, 0.5f, -0.6f, 0.7f, 0.8f});
const Tensor kR = make_f32({1, 8, 2}, {0.1f, 0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f,
                                       0.2f, 0.1f, -0.3f, 0.5f, 0.4f, 0.4f, -0.2f, 0.3f});
const Tensor kB = make_f32({1, 16}, {0.1f, 0, 0, 0.2f, 0, -0.1f, 0.3f, 0, 0, 0.3f, 0, 0, 0.1f, 0.2f, 0, -0.2f});
const Tensor kH0 = make_f32({1, 1, 2}, {0.5f, -0.5f});
const Tensor kC0 = make_f32({1, 1, 2}, {0.2f, 0.1f});
const Tensor kP = make_f32({1, 6}, {0.5f, -0.5f, 0.25f, 0.1f, -0.2f, 0.3f});

void expect_near(const Tensor& t, const std::vector<float>& want) {
  auto got = values_f32(t);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5) << "at " << i;
}

std::map<std::string, Attribute> attrs() { return {{"hidden_size", Attribute::make_int(2)}}; }

TEST(LSTM, PeepholesAndInitialState) {
  auto out = run_node("LSTM", {kX, kW, kR, kB, Tensor(), kH0, kC0, kP}, attrs(), 3);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 1, 1, 2}));
  expect_near((*out)[0], {0.239168f, 0.145091f, -0.083329f, -0.193453f});
  expect_near((*out)[1], {-0.083329f, -0.193453f});
  expect_near((*out)[2], {-0.256f, -0.269225f});
}

TEST(LSTM, InputForgetCouplesGates) {
  auto a = attrs();
  a["input_forget"] = Attribute::make_int(1);
  auto out = run_node("LSTM", {kX, kW, kR, kB, Tensor(), kH0, kC0, kP}, a, 3);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  expect_near((*out)[0], {0.222852f, 0.151567f, -0.059792f, -0.229648f});
  expect_near((*out)[2], {-0.177906f, -0.324911f});
}

TEST(LSTM, LayoutOneTransposesStates) {
  // Bidirectional, batch 2, layout 1: both batch entries equal, so Y_h [batch, dirs, H]
  // repeats the per-direction states; the forward one matches the test above.
  Tensor x = make_f32({2, 2, 1}, {1, -2, 1, -2});
  auto repeat = [](const Tensor& t, int n, Shape shape) {
    std::vector<float> v;
    for (int i = 0; i < n; ++i) for (float f : values_f32(t)) v.push_back(f);
    return make_f32(shape, v);
  };
  auto a = attrs();
  a["layout"] = Attribute::make_int(1);
  a["direction"] = Attribute::make_string("bidirectional");
  auto out = run_node("LSTM", {x, repeat(kW, 2, {2, 8, 1}), repeat(kR, 2, {2, 8, 2}), repeat(kB, 2, {2, 16}), Tensor(),
                               repeat(kH0, 4, {2, 2, 2}), repeat(kC0, 4, {2, 2, 2}), repeat(kP, 2, {2, 6})},
                      a, 3, 14);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2, 2, 2}));
  EXPECT_EQ((*out)[1].shape(), (Shape{2, 2, 2}));
  auto yh = values_f32((*out)[1]);
  EXPECT_NEAR(yh[0], -0.083329f, 1e-5);  // batch 0, forward
  EXPECT_NEAR(yh[4], -0.083329f, 1e-5);  // batch 1, forward
  auto y = values_f32((*out)[0]);
  EXPECT_NEAR(y[0], 0.239168f, 1e-5);    // batch 0, t 0, forward
  EXPECT_NEAR(y[4], -0.083329f, 1e-5);   // batch 0, t 1, forward
  EXPECT_NEAR(y[2], yh[2], 1e-6);        // batch 0: the reverse direction ends at t 0
}

TEST(LSTM, RejectsBadPeepholesAndActivationCount) {
  auto p = run_node("LSTM", {kX, kW, kR, kB, Tensor(), kH0, kC0, make_f32({1, 4}, {0, 0, 0, 0})}, attrs(), 3);
  ASSERT_FALSE(p.is_ok());
  EXPECT_NE(p.status().message().find("P"), std::string::npos) << p.status().message();
  auto a = attrs();
  Attribute names;
  names.kind = Attribute::Kind::kStrings;
  names.strings = {"Sigmoid", "Tanh"};
  a["activations"] = names;
  EXPECT_FALSE(run_node("LSTM", {kX, kW, kR}, a, 3).is_ok());
}

}  // namespace
}  // namespace ew
