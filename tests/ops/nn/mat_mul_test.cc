#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(MatMul, TwoByTwo) {
  auto out = run_node("MatMul", {make_f32({2, 2}, {1, 2, 3, 4}), make_f32({2, 2}, {5, 6, 7, 8})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{19, 22, 43, 50}));
}

TEST(MatMul, OneDimensionalOperandsArePromotedAndDropped) {
  auto v = make_f32({2}, {1, 2});
  auto m = make_f32({2, 3}, {1, 2, 3, 4, 5, 6});
  auto vm = run_node("MatMul", {v, m});
  ASSERT_TRUE(vm.is_ok());
  EXPECT_EQ((*vm)[0].shape(), (Shape{3}));
  EXPECT_EQ(values_f32((*vm)[0]), (std::vector<float>{9, 12, 15}));
  auto mv = run_node("MatMul", {make_f32({3, 2}, {1, 2, 3, 4, 5, 6}), v});
  ASSERT_TRUE(mv.is_ok());
  EXPECT_EQ((*mv)[0].shape(), (Shape{3}));
  EXPECT_EQ(values_f32((*mv)[0]), (std::vector<float>{5, 11, 17}));
  auto dot = run_node("MatMul", {v, v});
  ASSERT_TRUE(dot.is_ok());
  EXPECT_EQ((*dot)[0].shape(), (Shape{}));
  EXPECT_EQ(values_f32((*dot)[0]), (std::vector<float>{5}));
}

TEST(MatMul, BatchBroadcast) {
  auto a = make_f32({2, 1, 1, 2}, {1, 2, 3, 4});
  auto b = make_f32({3, 2, 1}, {1, 0, 0, 1, 1, 1});
  auto out = run_node("MatMul", {a, b});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 3, 1, 1}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 2, 3, 3, 4, 7}));
}

TEST(MatMul, Int32) {
  auto out = run_node("MatMul", {make<int32_t>({1, 2}, {2, 3}), make<int32_t>({2, 1}, {4, 5})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_i64((*out)[0]), (std::vector<int64_t>{23}));
}

TEST(MatMul, InnerMismatchAndBadBatchAreErrors) {
  EXPECT_FALSE(run_node("MatMul", {make_f32({2, 3}, iota_f32(6)), make_f32({2, 3}, iota_f32(6))}).is_ok());
  EXPECT_FALSE(run_node("MatMul", {make_f32({2, 1, 1}, iota_f32(2)), make_f32({3, 1, 1}, iota_f32(3))}).is_ok());
  EXPECT_FALSE(run_node("MatMul", {make<bool>({1, 1}, {true}), make<bool>({1, 1}, {true})}).is_ok());
}

TEST(MatMul, InfersSymbolicBatch) {
  EXPECT_EQ(infer_type("MatMul", {vt(DType::kFloat32, {Dim::symbolic("B"), 12, Dim::symbolic("S"), 64}),
                                  vt(DType::kFloat32, {Dim::symbolic("B"), 12, 64, Dim::symbolic("S")})}),
            "float32[B,12,S,S]");
  EXPECT_EQ(infer_type("MatMul", {vt(DType::kFloat32, {Dim::symbolic("S"), 64}), vt(DType::kFloat32, {64})}),
            "float32[S]");
}

}  // namespace ew
