#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(Gemm, TransposesAlphaBetaAndRowBias) {
  auto a = make_f32({3, 2}, {1, 4, 2, 5, 3, 6});  // A^T = [[1,2,3],[4,5,6]]
  auto b = make_f32({2, 3}, {1, 0, 1, 0, 1, 1});  // B^T = [[1,0],[0,1],[1,1]]
  auto c = make_f32({2}, {10, 20});
  auto out = run_node("Gemm", {a, b, c}, {{"transA", i(1)}, {"transB", i(1)}, {"alpha", f(2)}, {"beta", f(0.5f)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  // A^T B^T = [[4,5],[10,11]]
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{13, 20, 25, 32}));
}

TEST(Gemm, ColumnBiasAndScalarBias) {
  auto a = make_f32({2, 2}, {1, 2, 3, 4});
  auto eye = make_f32({2, 2}, {1, 0, 0, 1});
  auto col = run_node("Gemm", {a, eye, make_f32({2, 1}, {100, 200})});
  ASSERT_TRUE(col.is_ok());
  EXPECT_EQ(values_f32((*col)[0]), (std::vector<float>{101, 102, 203, 204}));
  auto scalar = run_node("Gemm", {a, eye, make_f32({}, {1})});
  ASSERT_TRUE(scalar.is_ok());
  EXPECT_EQ(values_f32((*scalar)[0]), (std::vector<float>{2, 3, 4, 5}));
}

TEST(Gemm, LargeMatchesNaiveProduct) {
  const int64_t M = 37, K = 300, N = 530;  // crosses every block edge of the kernel
  std::vector<float> a(M * K), b(K * N), ref(M * N, 0);
  for (int64_t k = 0; k < M * K; ++k) a[k] = static_cast<float>((k * 7) % 11) - 5;
  for (int64_t k = 0; k < K * N; ++k) b[k] = static_cast<float>((k * 3) % 7) - 3;
  for (int64_t r = 0; r < M; ++r)
    for (int64_t c = 0; c < N; ++c)
      for (int64_t k = 0; k < K; ++k) ref[r * N + c] += a[r * K + k] * b[k * N + c];
  auto out = run_node("Gemm", {make_f32({M, K}, a), make_f32({K, N}, b)}, {}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), ref);
}

TEST(Gemm, Int64Supported) {
  auto out = run_node("Gemm", {make_i64({1, 2}, {2, 3}), make_i64({2, 1}, {4, 5}), make_i64({1}, {1})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_i64((*out)[0]), (std::vector<int64_t>{24}));
}

TEST(Gemm, MismatchedInnerDimIsAnError) {
  EXPECT_FALSE(run_node("Gemm", {make_f32({2, 3}, iota_f32(6)), make_f32({2, 3}, iota_f32(6))}).is_ok());
  EXPECT_FALSE(run_node("Gemm", {make_f32({2, 2}, iota_f32(4)), make_f32({2, 2}, iota_f32(4)), make_f32({3}, iota_f32(3))}).is_ok());
}

TEST(Gemm, InfersSymbolicBatch) {
  EXPECT_EQ(infer_type("Gemm", {vt(DType::kFloat32, {Dim::symbolic("N"), 512}), vt(DType::kFloat32, {1000, 512}),
                                vt(DType::kFloat32, {1000})},
                       {{"transB", i(1)}}),
            "float32[N,1000]");
}

}  // namespace ew
