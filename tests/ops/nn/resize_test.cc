#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {
Tensor none() { return Tensor(); }
}  // namespace

TEST(Resize, NearestHalfPixelUpsample) {
  auto out = run_node("Resize", {make_f32({1, 1, 2, 2}, {1, 2, 3, 4}), none(), make_f32({4}, {1, 1, 2, 2})},
                      {{"mode", s("nearest")}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 1, 4, 4}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
}

TEST(Resize, LinearAlignCornersFromSizes) {
  auto out = run_node("Resize", {make_f32({1, 1, 1, 2}, {0, 3}), none(), none(), make_i64({4}, {1, 1, 1, 4})},
                      {{"mode", s("linear")}, {"coordinate_transformation_mode", s("align_corners")}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 1, 2, 3}));
}

TEST(Resize, LinearHalfPixelDownsample) {
  auto out = run_node("Resize", {make_f32({1, 1, 1, 4}, {0, 1, 2, 3}), none(), make_f32({4}, {1, 1, 1, 0.5f})},
                      {{"mode", s("linear")}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0.5f, 2.5f}));
}

TEST(Resize, CubicAtIntegerPositionsReproducesInput) {
  auto out = run_node("Resize", {make_f32({1, 4}, {1, 5, 2, 7}), none(), none(), make_i64({2}, {1, 7})},
                      {{"mode", s("cubic")}, {"coordinate_transformation_mode", s("align_corners")}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  auto v = values_f32((*out)[0]);
  ASSERT_EQ(v.size(), 7u);
  EXPECT_FLOAT_EQ(v[0], 1);
  EXPECT_FLOAT_EQ(v[2], 5);
  EXPECT_FLOAT_EQ(v[4], 2);
  EXPECT_FLOAT_EQ(v[6], 7);
  // Keys kernel (a=-0.75) at r=0.5 with edge padding: (-0.09375, 0.59375, 0.59375, -0.09375) over (1,1,5,2).
  EXPECT_FLOAT_EQ(v[1], -0.09375f * 1 + 0.59375f * 1 + 0.59375f * 5 - 0.09375f * 2);
}

TEST(Resize, TfCropAndResizeExtrapolates) {
  auto roi = make_f32({4}, {0, 0.5f, 1, 1.5f});
  auto out = run_node("Resize", {make_f32({1, 3}, {1, 2, 3}), roi, none(), make_i64({2}, {1, 3})},
                      {{"mode", s("linear")}, {"coordinate_transformation_mode", s("tf_crop_and_resize")},
                       {"extrapolation_value", f(9)}},
                      1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{2, 3, 9}));
}

TEST(Resize, Opset10NearestAndIntegers) {
  auto out = run_node("Resize", {make_i64({1, 2}, {7, 8}), make_f32({2}, {1, 2})}, {{"mode", s("nearest")}}, 1, 10);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_i64((*out)[0]), (std::vector<int64_t>{7, 7, 8, 8}));
}

TEST(Resize, AxesAndNotLargerPolicy) {
  auto out = run_node("Resize", {make_f32({1, 2, 4}, iota_f32(8)), none(), none(), make_i64({2}, {1, 3})},
                      {{"mode", s("nearest")}, {"axes", ints({1, 2})}, {"keep_aspect_ratio_policy", s("not_larger")}},
                      1, 18);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  // scale = min(1/2, 3/4) = 0.5 on both axes: [1, 1, 2], reading rows 0 and columns 0, 2.
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 1, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 2}));
}

TEST(Resize, ScalesAndSizesTogetherIsAnError) {
  auto out = run_node("Resize", {make_f32({1, 2}, {1, 2}), none(), make_f32({2}, {1, 2}), make_i64({2}, {1, 4})}, {}, 1, 13);
  EXPECT_FALSE(out.is_ok());
  auto bad_mode = run_node("Resize", {make_f32({1, 2}, {1, 2}), none(), make_f32({2}, {1, 2})}, {{"mode", s("area")}}, 1, 13);
  EXPECT_FALSE(bad_mode.is_ok());
}

TEST(Resize, InfersFromConstantScales) {
  auto scales = make_f32({4}, {1, 1, 2, 2});
  EXPECT_EQ(infer_type("Resize", {vt(DType::kFloat32, {1, 3, 8, 8}), ValueType{}, vt(DType::kFloat32, {4})}, {}, 13,
                       {nullptr, nullptr, &scales}),
            "float32[1,3,16,16]");
  EXPECT_EQ(infer_type("Resize", {vt(DType::kFloat32, {Dim::symbolic("N"), 3, 8, 8}), ValueType{}, vt(DType::kFloat32, {4})},
                       {}, 13),
            "float32[?,?,?,?]");
}

}  // namespace ew
