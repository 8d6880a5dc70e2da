#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(MaxPool, TwoByTwoStrideTwoWithIndices) {
  auto x = make_f32({1, 1, 4, 4}, {1, 9, 2, 3, 4, 5, 8, 6, 7, 0, 1, 1, 2, 3, 4, 16});
  auto out = run_node("MaxPool", {x}, {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}}, 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{9, 8, 7, 16}));
  EXPECT_EQ(values_i64((*out)[1]), (std::vector<int64_t>{1, 6, 8, 15}));
}

TEST(MaxPool, ColumnMajorIndicesAndBatchOffset) {
  auto x = make_f32({2, 1, 2, 2}, {1, 2, 3, 4, 8, 7, 6, 5});
  auto out = run_node("MaxPool", {x}, {{"kernel_shape", ints({2, 2})}, {"storage_order", i(1)}}, 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{4, 8}));
  // (h=1, w=1) -> 1 + 1*2 = 3; second plane (h=0, w=0) -> 4 + 0.
  EXPECT_EQ(values_i64((*out)[1]), (std::vector<int64_t>{3, 4}));
}

TEST(MaxPool, PaddingIsIgnoredAndCeilModeAddsWindow) {
  auto x = make_f32({1, 1, 1, 5}, {-1, -2, -3, -4, -5});
  auto pad = run_node("MaxPool", {x}, {{"kernel_shape", ints({1, 3})}, {"pads", ints({0, 1, 0, 1})}});
  ASSERT_TRUE(pad.is_ok());
  EXPECT_EQ(values_f32((*pad)[0]), (std::vector<float>{-1, -1, -2, -3, -4}));
  auto ceil = run_node("MaxPool", {x}, {{"kernel_shape", ints({1, 2})}, {"strides", ints({1, 2})}, {"ceil_mode", i(1)}});
  ASSERT_TRUE(ceil.is_ok());
  EXPECT_EQ(values_f32((*ceil)[0]), (std::vector<float>{-1, -3, -5}));
  auto floor = run_node("MaxPool", {x}, {{"kernel_shape", ints({1, 2})}, {"strides", ints({1, 2})}});
  EXPECT_EQ(values_f32((*floor)[0]), (std::vector<float>{-1, -3}));
}

TEST(MaxPool, Uint8AndDilation) {
  auto x = make<uint8_t>({1, 1, 5}, {1, 7, 3, 2, 9});
  auto out = run_node("MaxPool", {x}, {{"kernel_shape", ints({2})}, {"dilations", ints({2})}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_i64((*out)[0]), (std::vector<int64_t>{3, 7, 9}));
}

TEST(MaxPool, MissingKernelShapeIsAnError) {
  EXPECT_FALSE(run_node("MaxPool", {make_f32({1, 1, 2, 2}, {1, 2, 3, 4})}).is_ok());
  EXPECT_FALSE(run_node("MaxPool", {make_f32({1, 1, 2, 2}, {1, 2, 3, 4})}, {{"kernel_shape", ints({3, 3})}}).is_ok());
}

TEST(MaxPool, InfersSymbolicDims) {
  EXPECT_EQ(infer_type("MaxPool", {vt(DType::kFloat32, {Dim::symbolic("N"), 64, 112, 112})},
                       {{"kernel_shape", ints({3, 3})}, {"strides", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}}),
            "float32[N,64,56,56]");
  EXPECT_EQ(infer_type("MaxPool", {vt(DType::kFloat32, {1, 3, Dim::symbolic("H"), 9})},
                       {{"kernel_shape", ints({3, 3})}, {"auto_pad", s("SAME_LOWER")}, {"strides", ints({2, 2})}}),
            "float32[1,3,?,5]");
}

}  // namespace ew
