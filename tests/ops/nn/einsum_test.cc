#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(Einsum, MatrixProductAndTranspose) {
  auto a = make_f32({2, 2}, {1, 2, 3, 4});
  auto b = make_f32({2, 2}, {5, 6, 7, 8});
  auto mm = run_node("Einsum", {a, b}, {{"equation", s("ij,jk->ik")}});
  ASSERT_TRUE(mm.is_ok()) << mm.status().to_string();
  EXPECT_EQ(values_f32((*mm)[0]), (std::vector<float>{19, 22, 43, 50}));
  auto tr = run_node("Einsum", {make_f32({2, 3}, iota_f32(6))}, {{"equation", s("ij->ji")}});
  ASSERT_TRUE(tr.is_ok());
  EXPECT_EQ(values_f32((*tr)[0]), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(Einsum, TraceDiagonalAndImplicitOutput) {
  auto m = make_f32({3, 3}, iota_f32(9));
  auto trace = run_node("Einsum", {m}, {{"equation", s("ii")}});
  ASSERT_TRUE(trace.is_ok()) << trace.status().to_string();
  EXPECT_EQ((*trace)[0].shape(), (Shape{}));
  EXPECT_EQ(values_f32((*trace)[0]), (std::vector<float>{12}));
  auto diag = run_node("Einsum", {m}, {{"equation", s("ii->i")}});
  ASSERT_TRUE(diag.is_ok());
  EXPECT_EQ(values_f32((*diag)[0]), (std::vector<float>{0, 4, 8}));
  auto implicit = run_node("Einsum", {make_f32({2, 3}, iota_f32(6))}, {{"equation", s("ba")}});
  ASSERT_TRUE(implicit.is_ok());  // implicit output is sorted: "ab", a transpose
  EXPECT_EQ(values_f32((*implicit)[0]), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(Einsum, EllipsisBatchMatmulBroadcasts) {
  auto a = make_f32({2, 1, 2}, {1, 2, 3, 4});
  auto b = make_f32({2, 1}, {10, 100});
  auto out = run_node("Einsum", {a, b}, {{"equation", s("...ij,jk->...ik")}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 1, 1}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{210, 430}));
}

TEST(Einsum, SumAndInnerProduct) {
  auto sum = run_node("Einsum", {make_f32({2, 3}, iota_f32(6))}, {{"equation", s("ij->i")}});
  ASSERT_TRUE(sum.is_ok());
  EXPECT_EQ(values_f32((*sum)[0]), (std::vector<float>{3, 12}));
  auto dot = run_node("Einsum", {make_f32({3}, {1, 2, 3}), make_f32({3}, {4, 5, 6})}, {{"equation", s("i,i")}});
  ASSERT_TRUE(dot.is_ok());
  EXPECT_EQ(values_f32((*dot)[0]), (std::vector<float>{32}));
}

TEST(Einsum, BadEquationsAreErrors) {
  auto m = make_f32({2, 2}, iota_f32(4));
  EXPECT_FALSE(run_node("Einsum", {m}, {{"equation", s("ijk->i")}}).is_ok());       // rank mismatch
  EXPECT_FALSE(run_node("Einsum", {m}, {{"equation", s("ij->k")}}).is_ok());        // unknown output label
  EXPECT_FALSE(run_node("Einsum", {m, m}, {{"equation", s("ij->ij")}}).is_ok());    // term count
  EXPECT_FALSE(run_node("Einsum", {m}, {{"equation", s("i1->i")}}).is_ok());        // bad label
  EXPECT_FALSE(run_node("Einsum", {make_f32({2, 3}, iota_f32(6))}, {{"equation", s("ii->i")}}).is_ok());
}

TEST(Einsum, InfersSymbolicDims) {
  EXPECT_EQ(infer_type("Einsum", {vt(DType::kFloat32, {Dim::symbolic("B"), 4, 8}), vt(DType::kFloat32, {Dim::symbolic("B"), 8, 3})},
                       {{"equation", s("bij,bjk->bik")}}),
            "float32[B,4,3]");
}

}  // namespace ew
