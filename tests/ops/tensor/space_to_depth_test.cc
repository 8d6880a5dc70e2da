#include <gtest/gtest.h>

#include <numeric>

#include "test_util.h"

namespace ew {
using test::run_node;
using test::values_f32;

TEST(SpaceToDepth, Blocks) {
  std::vector<float> v(8);
  std::iota(v.begin(), v.end(), 0.0f);  // 1x1x2x4: rows [0..3], [4..7]
  auto out = run_node("SpaceToDepth", {test::make_f32({1, 1, 2, 4}, v)}, {{"blocksize", Attribute::make_int(2)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 4, 1, 2}));
  // channel bh*2+bw holds in[bh][2x+bw] for x = 0, 1.
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 2, 1, 3, 4, 6, 5, 7}));
}

TEST(SpaceToDepth, InvertsDepthToSpace) {
  std::vector<float> v(32);
  std::iota(v.begin(), v.end(), 0.0f);
  auto x = test::make_f32({1, 2, 4, 4}, v);
  auto s2d = run_node("SpaceToDepth", {x}, {{"blocksize", Attribute::make_int(2)}});
  ASSERT_TRUE(s2d.is_ok());
  auto back = run_node("DepthToSpace", {(*s2d)[0]}, {{"blocksize", Attribute::make_int(2)}});
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(values_f32((*back)[0]), v);
}

TEST(SpaceToDepth, IndivisibleSpatialDimIsAnError) {
  auto x = test::make_f32({1, 1, 3, 2}, std::vector<float>(6, 0.0f));
  EXPECT_FALSE(run_node("SpaceToDepth", {x}, {{"blocksize", Attribute::make_int(2)}}).is_ok());
}

}  // namespace ew
