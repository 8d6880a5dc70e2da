#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(ConvTranspose, OneDimensionalStrideScattersKernel) {
  auto out = run_node("ConvTranspose", {make_f32({1, 1, 2}, {1, 2}), make_f32({1, 1, 3}, {1, 10, 100})},
                      {{"strides", ints({2})}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 1, 5}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 10, 102, 20, 200}));
}

TEST(ConvTranspose, PadsOutputPaddingAndBias) {
  auto x = make_f32({1, 1, 2}, {1, 2});
  auto w = make_f32({1, 2, 3}, {1, 10, 100, 1, 1, 1});
  auto b = make_f32({2}, {0, 1000});
  auto out = run_node("ConvTranspose", {x, w, b},
                      {{"strides", ints({2})}, {"pads", ints({1, 1})}, {"output_padding", ints({1})}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 2, 4}));  // 2*(2-1) + 1 + 3 - 2
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{10, 102, 20, 200, 1001, 1003, 1002, 1002}));
}

TEST(ConvTranspose, OutputShapeDerivesPads) {
  auto out = run_node("ConvTranspose", {make_f32({1, 1, 2}, {1, 2}), make_f32({1, 1, 3}, {1, 10, 100})},
                      {{"strides", ints({2})}, {"output_shape", ints({4})}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  // full output [1,10,102,20,200]; total pad 1, NOTSET puts the odd pad at the beginning.
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{10, 102, 20, 200}));
}

TEST(ConvTranspose, GroupsKeepChannelsApart) {
  auto x = make_f32({1, 2, 1, 1}, {2, 3});
  auto w = make_f32({2, 1, 1, 2}, {1, 2, 10, 20});
  auto out = run_node("ConvTranspose", {x, w}, {{"group", i(2)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{2, 4, 30, 60}));
}

TEST(ConvTranspose, ChannelMismatchIsAnError) {
  EXPECT_FALSE(run_node("ConvTranspose", {make_f32({1, 2, 2}, iota_f32(4)), make_f32({3, 1, 2}, iota_f32(6))}).is_ok());
}

TEST(ConvTranspose, InfersSymbolicBatch) {
  EXPECT_EQ(infer_type("ConvTranspose", {vt(DType::kFloat32, {Dim::symbolic("N"), 8, 7, 7}), vt(DType::kFloat32, {8, 4, 3, 3})},
                       {{"strides", ints({2, 2})}, {"group", i(2)}}),
            "float32[N,8,15,15]");
}

}  // namespace ew
