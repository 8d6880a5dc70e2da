#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::run_node;
using test::values_f32;

TEST(Transpose, DefaultReversesDims) {
  auto out = run_node("Transpose", {make_f32({2, 3}, {1, 2, 3, 4, 5, 6})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(Transpose, Perm3D) {
  // x[i][j][k] = 100i + 10j + k, shape [2,2,3]; perm [2,0,1] -> out[k][i][j].
  std::vector<float> v;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 3; ++k) v.push_back(100 * i + 10 * j + k);
  auto out = run_node("Transpose", {make_f32({2, 2, 3}, v)}, {{"perm", Attribute::make_ints({2, 0, 1})}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{3, 2, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 10, 100, 110, 1, 11, 101, 111, 2, 12, 102, 112}));
}

TEST(Transpose, BadPerm) {
  auto x = make_f32({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_FALSE(run_node("Transpose", {x}, {{"perm", Attribute::make_ints({0, 0})}}).is_ok());
  EXPECT_FALSE(run_node("Transpose", {x}, {{"perm", Attribute::make_ints({0, 2})}}).is_ok());
  EXPECT_FALSE(run_node("Transpose", {x}, {{"perm", Attribute::make_ints({0})}}).is_ok());
}

}  // namespace ew
