#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(Conv, OnesKernelWithAndWithoutPadding) {
  auto x = make_f32({1, 1, 5, 5}, iota_f32(25));
  auto w = make_f32({1, 1, 3, 3}, std::vector<float>(9, 1.0f));
  auto valid = run_node("Conv", {x, w});
  ASSERT_TRUE(valid.is_ok()) << valid.status().to_string();
  EXPECT_EQ(values_f32((*valid)[0]), (std::vector<float>{54, 63, 72, 99, 108, 117, 144, 153, 162}));
  auto padded = run_node("Conv", {x, w}, {{"pads", ints({1, 1, 1, 1})}});
  ASSERT_TRUE(padded.is_ok());
  EXPECT_EQ((*padded)[0].shape(), (Shape{1, 1, 5, 5}));
  EXPECT_EQ(values_f32((*padded)[0])[0], 12.0f);   // 0+1+5+6
  EXPECT_EQ(values_f32((*padded)[0])[12], 108.0f);
  EXPECT_EQ(values_f32((*padded)[0])[24], 84.0f);  // 18+19+23+24
}

TEST(Conv, StridesAndSameUpperPadding) {
  auto x = make_f32({1, 1, 5, 5}, iota_f32(25));
  auto w = make_f32({1, 1, 3, 3}, std::vector<float>(9, 1.0f));
  auto out = run_node("Conv", {x, w}, {{"strides", ints({2, 2})}, {"auto_pad", s("SAME_UPPER")}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 1, 3, 3}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{12, 27, 24, 63, 108, 81, 72, 117, 84}));
}

TEST(Conv, DepthwiseGroupsWithBias) {
  auto x = make_f32({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  auto w = make_f32({2, 1, 1, 1}, {2, 3});
  auto b = make_f32({2}, {1, -1});
  auto out = run_node("Conv", {x, w, b}, {{"group", i(2)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{3, 5, 7, 9, 14, 17, 20, 23}));
}

TEST(Conv, OneDimensionalDilation) {
  auto out = run_node("Conv", {make_f32({1, 1, 5}, {1, 2, 3, 4, 5}), make_f32({1, 1, 2}, {1, 10})},
                      {{"dilations", ints({2})}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{31, 42, 53}));
}

TEST(Conv, ThreeDimensionalMatchesSum) {
  auto out = run_node("Conv", {make_f32({1, 1, 2, 2, 2}, iota_f32(8)), make_f32({1, 1, 2, 2, 2}, std::vector<float>(8, 1))});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{28}));
}

TEST(Conv, ChannelMismatchIsAnError) {
  auto out = run_node("Conv", {make_f32({1, 2, 3, 3}, iota_f32(18)), make_f32({1, 3, 1, 1}, {1, 1, 1})});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("group"), std::string::npos) << out.status().message();
}

TEST(Conv, NegativeStrideIsAnError) {
  auto out = run_node("Conv", {make_f32({1, 1, 3, 3}, iota_f32(9)), make_f32({1, 1, 1, 1}, {1})}, {{"strides", ints({0, 1})}});
  EXPECT_FALSE(out.is_ok());
}

TEST(Conv, InfersSymbolicBatch) {
  auto t = infer_type("Conv", {vt(DType::kFloat32, {Dim::symbolic("N"), 3, 224, 224}), vt(DType::kFloat32, {64, 3, 7, 7})},
                      {{"strides", ints({2, 2})}, {"pads", ints({3, 3, 3, 3})}});
  EXPECT_EQ(t, "float32[N,64,112,112]");
  auto u = infer_type("Conv", {vt(DType::kFloat32, {1, 3, Dim::symbolic("H"), 8}), vt(DType::kFloat32, {4, 3, 3, 3})});
  EXPECT_EQ(u, "float32[1,4,?,6]");
}

TEST(Conv, Float16ComputesInFloat) {
  auto x = make<float16>({1, 1, 1, 3}, {float16(1.0f), float16(2.0f), float16(3.0f)});
  auto w = make<float16>({1, 1, 1, 2}, {float16(0.5f), float16(0.25f)});
  auto out = run_node("Conv", {x, w});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1.0f, 1.75f}));
}

}  // namespace ew
