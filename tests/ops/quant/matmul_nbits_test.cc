#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

// K = 20 in blocks of 16 (the second block padded), N = 2.
std::map<std::string, Attribute> attrs() { return {{"K", ai(20)}, {"N", ai(2)}, {"bits", ai(4)}, {"block_size", ai(16)}}; }

// Column n holds q = (k + n) % 16 for every k; packed two per byte, low nibble first.
Tensor packed_b() {
  std::vector<uint8_t> b(2 * 2 * 8, 0);
  for (int n = 0; n < 2; ++n)
    for (int k = 0; k < 32; ++k) {
      const int q = k < 20 ? (k + n) % 16 : 8;
      b[(n * 2 + k / 16) * 8 + (k % 16) / 2] |= static_cast<uint8_t>(q << (4 * (k % 2)));
    }
  return u8({2, 2, 8}, b);
}

float expected(const std::vector<float>& a, int n, const std::vector<float>& scales, const std::vector<float>& zps) {
  float acc = 0;
  for (int k = 0; k < 20; ++k) acc += a[k] * (((k + n) % 16) - zps[n * 2 + k / 16]) * scales[n * 2 + k / 16];
  return acc;
}

TEST(MatMulNBits, DefaultZeroPointIsEight) {
  std::vector<float> a(20);
  for (int k = 0; k < 20; ++k) a[k] = 0.1f * k - 1.0f;
  const std::vector<float> scales{0.5f, 0.25f, 1.0f, 2.0f};
  Tensor y = run1("MatMulNBits", {f32({1, 20}, a), packed_b(), f32({4}, scales)}, attrs(), 1, kMs);
  ASSERT_EQ(y.shape(), (Shape{1, 2}));
  for (int n = 0; n < 2; ++n) EXPECT_NEAR(y.data<float>()[n], expected(a, n, scales, {8, 8, 8, 8}), 1e-4);
}

TEST(MatMulNBits, PackedZeroPointsAndBias) {
  std::vector<float> a(40);
  for (int i = 0; i < 40; ++i) a[i] = 0.05f * i;
  const std::vector<float> scales{0.5f, 0.25f, 1.0f, 2.0f};
  // Zero points per column: blocks (3, 5) and (0, 15), packed low nibble first.
  Tensor zp = u8({2}, {0x53, 0xF0});
  Tensor y = run1("MatMulNBits", {f32({2, 20}, a), packed_b(), f32({4}, scales), zp, Tensor(), f32({2}, {1, -1})},
                  attrs(), 1, kMs);
  ASSERT_EQ(y.shape(), (Shape{2, 2}));
  for (int m = 0; m < 2; ++m) {
    std::vector<float> row(a.begin() + m * 20, a.begin() + m * 20 + 20);
    EXPECT_NEAR(y.data<float>()[m * 2 + 0], expected(row, 0, scales, {3, 5, 0, 15}) + 1, 1e-3);
    EXPECT_NEAR(y.data<float>()[m * 2 + 1], expected(row, 1, scales, {3, 5, 0, 15}) - 1, 1e-3);
  }
}

TEST(MatMulNBits, WrongShapesAreErrors) {
  auto t = infer_types("MatMulNBits", 1,
                       {vtype(DType::kFloat32, {1, 20}), vtype(DType::kUInt8, {2, 1, 8}), vtype(DType::kFloat32, {4})},
                       attrs(), kMs);
  EXPECT_FALSE(t.is_ok());
  auto k = infer_types("MatMulNBits", 1,
                       {vtype(DType::kFloat32, {1, 21}), vtype(DType::kUInt8, {2, 2, 8}), vtype(DType::kFloat32, {4})},
                       attrs(), kMs);
  EXPECT_FALSE(k.is_ok());
  auto bits = attrs();
  bits["block_size"] = ai(12);
  EXPECT_FALSE(infer_types("MatMulNBits", 1,
                           {vtype(DType::kFloat32, {1, 20}), vtype(DType::kUInt8, {2, 2, 8}), vtype(DType::kFloat32, {4})},
                           bits, kMs)
                   .is_ok());
}

TEST(MatMulNBits, InfersBatchDims) {
  auto t = infer_types("MatMulNBits", 1,
                       {vtype(DType::kFloat32, {Dim::symbolic("B"), 7, 20}), vtype(DType::kUInt8, {2, 2, 8}),
                        vtype(DType::kFloat32, {4})},
                       attrs(), kMs);
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].to_string(), "float32[B,7,2]");
}

}  // namespace
}  // namespace ew
