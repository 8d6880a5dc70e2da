#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
namespace {
using test::make_f32;
using test::run_node;
using test::values_f32;

// Two hidden units, one input, two steps; expected values computed by hand
// (a direct transcription of the ONNX GRU equations, zrh gate order).
const Tensor kX = make_f32({2, 1, 1}, {1, -2});
const Tensor kW = make_f32({1, 6, 1}, {0.1f, 0.2f, 0.3f, -0.4f, 0.5f, -0.6f});
const Tensor kR = make_f32({1, 6, 2}, {0.1f, 0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f, 0.2f, 0.1f, -0.3f, 0.5f});
const Tensor kB = make_f32({1, 12}, {0.1f, 0, 0, 0.2f, 0, -0.1f, 0, 0.3f, 0, 0, 0.1f, 0.2f});
const Tensor kH0 = make_f32({1, 1, 2}, {0.5f, -0.5f});

std::map<std::string, Attribute> attrs(int64_t linear_before_reset) {
  return {{"hidden_size", Attribute::make_int(2)}, {"linear_before_reset", Attribute::make_int(linear_before_reset)}};
}

void expect_near(const Tensor& t, const std::vector<float>& want) {
  auto got = values_f32(t);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5) << "at " << i;
}

TEST(GRU, MatchesEquations) {
  auto out = run_node("GRU", {kX, kW, kR, kB, Tensor(), kH0}, attrs(0), 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 1, 1, 2}));
  expect_near((*out)[0], {0.521087f, -0.546532f, -0.151966f, 0.16691f});
  expect_near((*out)[1], {-0.151966f, 0.16691f});
}

TEST(GRU, LinearBeforeReset) {
  auto out = run_node("GRU", {kX, kW, kR, kB, Tensor(), kH0}, attrs(1), 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  expect_near((*out)[0], {0.505632f, -0.569605f, -0.171813f, 0.128974f});
}

TEST(GRU, Float16ComputesInFloat) {
  auto to_half = [](const Tensor& t) {
    std::vector<float16> v;
    for (float f : values_f32(t)) v.push_back(float16(f));
    return test::make<float16>(t.shape(), v);
  };
  auto out = run_node("GRU", {to_half(kX), to_half(kW), to_half(kR), to_half(kB), Tensor(), to_half(kH0)}, attrs(0), 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[1].dtype(), DType::kFloat16);
  auto got = values_f32((*out)[1]);
  EXPECT_NEAR(got[0], -0.151966f, 2e-3);
  EXPECT_NEAR(got[1], 0.16691f, 2e-3);
}

TEST(GRU, RejectsBadShapes) {
  auto r = run_node("GRU", {kX, kW, make_f32({1, 4, 2}, std::vector<float>(8, 0)), kB}, attrs(0), 2);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("R"), std::string::npos) << r.status().message();
  auto h0 = run_node("GRU", {kX, kW, kR, kB, Tensor(), make_f32({1, 2, 2}, {0, 0, 0, 0})}, attrs(0), 2);
  EXPECT_FALSE(h0.is_ok());
  auto b = run_node("GRU", {kX, kW, kR, make_f32({1, 6}, std::vector<float>(6, 0))}, attrs(0), 2);
  EXPECT_FALSE(b.is_ok());
}

}  // namespace
}  // namespace ew
