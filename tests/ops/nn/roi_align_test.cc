#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {
Result<std::vector<Tensor>> align(std::map<std::string, Attribute> attrs, int64_t batch = 0, int64_t opset = 16) {
  return run_node("RoiAlign", {make_f32({1, 1, 4, 4}, iota_f32(16)), make_f32({1, 4}, {0, 0, 2, 2}), make_i64({1}, {batch})},
                  attrs, 1, opset);
}
}  // namespace

TEST(RoiAlign, SingleSampleOutputHalfPixelAndHalfPixel) {
  auto legacy = align({{"sampling_ratio", i(1)}}, 0, 10);
  ASSERT_TRUE(legacy.is_ok()) << legacy.status().to_string();
  EXPECT_EQ(values_f32((*legacy)[0]), (std::vector<float>{5}));
  auto half = align({{"sampling_ratio", i(1)}});
  ASSERT_TRUE(half.is_ok());
  EXPECT_EQ(values_f32((*half)[0]), (std::vector<float>{2.5f}));
}

TEST(RoiAlign, AverageAndMaxOverSamples) {
  std::map<std::string, Attribute> a{{"sampling_ratio", i(2)}, {"coordinate_transformation_mode", s("output_half_pixel")}};
  auto avg = align(a);
  ASSERT_TRUE(avg.is_ok()) << avg.status().to_string();
  EXPECT_EQ(values_f32((*avg)[0]), (std::vector<float>{5}));
  a["mode"] = s("max");
  auto mx = align(a);
  ASSERT_TRUE(mx.is_ok());
  EXPECT_EQ(values_f32((*mx)[0]), (std::vector<float>{2.5f}));
}

TEST(RoiAlign, OutputGrid) {
  auto out = align({{"output_height", i(2)}, {"output_width", i(2)}, {"sampling_ratio", i(1)},
                    {"coordinate_transformation_mode", s("output_half_pixel")}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 1, 2, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{2.5f, 3.5f, 6.5f, 7.5f}));
}

TEST(RoiAlign, BatchIndexOutOfRangeIsAnError) {
  auto out = align({}, 1);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("batch index"), std::string::npos);
}

TEST(RoiAlign, InfersShape) {
  EXPECT_EQ(infer_type("RoiAlign", {vt(DType::kFloat32, {1, 256, 14, 14}), vt(DType::kFloat32, {Dim::symbolic("R"), 4}),
                                    vt(DType::kInt64, {Dim::symbolic("R")})},
                       {{"output_height", i(7)}, {"output_width", i(7)}}, 16),
            "float32[R,256,7,7]");
}

}  // namespace ew
