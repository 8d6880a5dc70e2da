#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {
Result<std::vector<Tensor>> sample(const std::vector<float>& grid, std::map<std::string, Attribute> attrs) {
  int64_t n = static_cast<int64_t>(grid.size()) / 2;
  return run_node("GridSample", {make_f32({1, 1, 2, 2}, {1, 2, 3, 4}), make_f32({1, 1, n, 2}, grid)}, attrs, 1, 16);
}
}  // namespace

TEST(GridSample, BilinearAlignCorners) {
  auto out = sample({0, 0, -1, -1, 1, -1}, {{"align_corners", i(1)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 1, 1, 3}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{2.5f, 1, 2}));
}

TEST(GridSample, ZerosBorderAndReflectionPadding) {
  auto zeros = sample({-1, -1}, {});
  ASSERT_TRUE(zeros.is_ok()) << zeros.status().to_string();
  EXPECT_EQ(values_f32((*zeros)[0]), (std::vector<float>{0.25f}));
  auto border = sample({-1, -1}, {{"padding_mode", s("border")}});
  ASSERT_TRUE(border.is_ok());
  EXPECT_EQ(values_f32((*border)[0]), (std::vector<float>{1}));
  auto reflect = sample({1.5f, -1}, {{"padding_mode", s("reflection")}});
  ASSERT_TRUE(reflect.is_ok());
  EXPECT_EQ(values_f32((*reflect)[0]), (std::vector<float>{2}));
}

TEST(GridSample, NearestRoundsToEven) {
  auto out = sample({0.1f, -0.9f, 0.0f, 0.0f}, {{"mode", s("nearest")}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  // (x=0.6 -> 1, y=-0.4 -> 0) reads 2; (0.5, 0.5) rounds to (0, 0) and reads 1.
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{2, 1}));
}

TEST(GridSample, BicubicAtPixelCentreIsExact) {
  auto out = sample({-0.5f, -0.5f, 0.5f, 0.5f}, {{"mode", s("bicubic")}, {"padding_mode", s("border")}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 4}));
}

TEST(GridSample, BadModeAndShapeAreErrors) {
  EXPECT_FALSE(sample({0, 0}, {{"mode", s("area")}}).is_ok());
  EXPECT_FALSE(run_node("GridSample", {make_f32({1, 1, 2, 2}, {1, 2, 3, 4}), make_f32({1, 1, 1, 3}, {0, 0, 0})}, {}, 1, 16).is_ok());
}

TEST(GridSample, InfersOutputFromGrid) {
  EXPECT_EQ(infer_type("GridSample", {vt(DType::kFloat32, {Dim::symbolic("N"), 3, 32, 32}),
                                      vt(DType::kFloat32, {Dim::symbolic("N"), 8, 9, 2})},
                       {}, 16),
            "float32[N,3,8,9]");
}

}  // namespace ew
