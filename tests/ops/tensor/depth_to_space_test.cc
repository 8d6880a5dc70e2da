#include <gtest/gtest.h>

#include <numeric>

#include "test_util.h"

namespace ew {
using test::run_node;
using test::values_f32;

namespace {
Tensor channels_1x4x1x2() {
  std::vector<float> v(8);
  std::iota(v.begin(), v.end(), 0.0f);  // channel c holds [2c, 2c+1]
  return test::make_f32({1, 4, 1, 2}, v);
}
}  // namespace

TEST(DepthToSpace, DCR) {
  auto out = run_node("DepthToSpace", {channels_1x4x1x2()}, {{"blocksize", Attribute::make_int(2)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 1, 2, 4}));
  // out[0,0,bh,2w+bw] = in[0, bh*2+bw, 0, w]
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 2, 1, 3, 4, 6, 5, 7}));
}

TEST(DepthToSpace, CRDEqualsDCRForOneOutputChannel) {
  auto out = run_node("DepthToSpace", {channels_1x4x1x2()},
                      {{"blocksize", Attribute::make_int(2)}, {"mode", Attribute::make_string("CRD")}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 2, 1, 3, 4, 6, 5, 7}));
}

TEST(DepthToSpace, CRDDiffersWithTwoOutputChannels) {
  // 8 channels, blocksize 2 -> C' = 2. Channel c holds value c (H = W = 1).
  std::vector<float> v(8);
  std::iota(v.begin(), v.end(), 0.0f);
  auto x = test::make_f32({1, 8, 1, 1}, v);
  auto dcr = run_node("DepthToSpace", {x}, {{"blocksize", Attribute::make_int(2)}});
  auto crd = run_node("DepthToSpace", {x}, {{"blocksize", Attribute::make_int(2)}, {"mode", Attribute::make_string("CRD")}});
  ASSERT_TRUE(dcr.is_ok() && crd.is_ok());
  // DCR: channel = (bh*2 + bw)*2 + c'; CRD: channel = c'*4 + bh*2 + bw.
  EXPECT_EQ(values_f32((*dcr)[0]), (std::vector<float>{0, 2, 4, 6, 1, 3, 5, 7}));
  EXPECT_EQ(values_f32((*crd)[0]), (std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(DepthToSpace, Errors) {
  EXPECT_FALSE(run_node("DepthToSpace", {channels_1x4x1x2()}, {{"blocksize", Attribute::make_int(3)}}).is_ok());
  EXPECT_FALSE(run_node("DepthToSpace", {channels_1x4x1x2()}, {}).is_ok());
  EXPECT_FALSE(run_node("DepthToSpace", {channels_1x4x1x2()},
                        {{"blocksize", Attribute::make_int(2)}, {"mode", Attribute::make_string("XYZ")}}).is_ok());
}

}  // namespace ew
