#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

TEST(GlobalPool, AverageMaxAndLpPerPlane) {
  auto x = make_f32({1, 2, 2, 2}, {1, 2, 3, 6, -1, -5, -3, -7});
  auto avg = run_node("GlobalAveragePool", {x});
  ASSERT_TRUE(avg.is_ok()) << avg.status().to_string();
  EXPECT_EQ((*avg)[0].shape(), (Shape{1, 2, 1, 1}));
  EXPECT_EQ(values_f32((*avg)[0]), (std::vector<float>{3, -4}));
  auto mx = run_node("GlobalMaxPool", {x});
  ASSERT_TRUE(mx.is_ok());
  EXPECT_EQ(values_f32((*mx)[0]), (std::vector<float>{6, -1}));
  auto lp = run_node("GlobalLpPool", {make_f32({1, 1, 2}, {3, 4})});
  ASSERT_TRUE(lp.is_ok());
  EXPECT_EQ(values_f32((*lp)[0]), (std::vector<float>{5}));
}

TEST(GlobalPool, RankTwoIsAnError) {
  EXPECT_FALSE(run_node("GlobalAveragePool", {make_f32({2, 2}, {1, 2, 3, 4})}).is_ok());
}

TEST(GlobalPool, InfersSymbolicChannels) {
  EXPECT_EQ(infer_type("GlobalAveragePool", {vt(DType::kFloat32, {Dim::symbolic("N"), Dim::symbolic("C"), 7, 7, 3})}),
            "float32[N,C,1,1,1]");
}

}  // namespace ew
