#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {
std::map<std::string, Attribute> pool2() { return {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}}; }
}  // namespace

TEST(MaxUnpool, ScattersToPooledShape) {
  auto out = run_node("MaxUnpool", {make_f32({1, 1, 2, 2}, {5, 6, 7, 8}), make_i64({1, 1, 2, 2}, {5, 7, 13, 15})}, pool2());
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 1, 4, 4}));
  std::vector<float> expect(16, 0);
  expect[5] = 5, expect[7] = 6, expect[13] = 7, expect[15] = 8;
  EXPECT_EQ(values_f32((*out)[0]), expect);
}

TEST(MaxUnpool, LargerOutputShapeKeepsPositions) {
  auto out = run_node("MaxUnpool", {make_f32({1, 1, 2, 2}, {5, 6, 7, 8}), make_i64({1, 1, 2, 2}, {5, 7, 13, 15}),
                                    make_i64({4}, {1, 1, 5, 5})},
                      pool2());
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  std::vector<float> expect(25, 0);
  expect[6] = 5, expect[8] = 6, expect[16] = 7, expect[18] = 8;
  EXPECT_EQ(values_f32((*out)[0]), expect);
}

TEST(MaxUnpool, IndexOutOfRangeIsAnError) {
  auto out = run_node("MaxUnpool", {make_f32({1, 1, 1, 1}, {5}), make_i64({1, 1, 1, 1}, {4})}, pool2());
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("out of range"), std::string::npos);
}

TEST(MaxUnpool, InfersSymbolicBatch) {
  EXPECT_EQ(infer_type("MaxUnpool", {vt(DType::kFloat32, {Dim::symbolic("N"), 3, 4, 4}), vt(DType::kInt64, {Dim::symbolic("N"), 3, 4, 4})},
                       pool2()),
            "float32[N,3,8,8]");
}

}  // namespace ew
