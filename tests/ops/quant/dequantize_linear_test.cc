#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

TEST(DequantizeLinear, PerTensorUint8) {
  Tensor y = run1("DequantizeLinear", {u8({4}, {0, 3, 128, 255}), scalar_f(2), scalar_u8(128)}, {}, 10);
  EXPECT_EQ(y.dtype(), DType::kFloat32);
  EXPECT_EQ(test::values_f32(y), (std::vector<float>{-256, -250, 0, 254}));
}

TEST(DequantizeLinear, Int32WithoutZeroPoint) {
  Tensor y = run1("DequantizeLinear", {i32({3}, {-30, 0, 1000}), scalar_f(0.5f)});
  EXPECT_EQ(test::values_f32(y), (std::vector<float>{-15, 0, 500}));
}

TEST(DequantizeLinear, PerAxisInt8) {
  Tensor y = run1("DequantizeLinear", {i8({2, 2}, {1, 2, 3, 4}), f32({2}, {1, 0.5f}), i8({2}, {1, -2})},
                  {{"axis", ai(0)}}, 13);
  EXPECT_EQ(test::values_f32(y), (std::vector<float>{0, 1, 2.5f, 3}));
}

TEST(DequantizeLinear, BlockedAtOpset21) {
  Tensor y = run1("DequantizeLinear", {u8({1, 4}, {1, 2, 3, 4}), f32({1, 2}, {1, 10})},
                  {{"axis", ai(1)}, {"block_size", ai(2)}}, 21);
  EXPECT_EQ(test::values_f32(y), (std::vector<float>{1, 2, 30, 40}));
}

TEST(DequantizeLinear, Float16ScaleGivesFloat16OutputAtOpset19) {
  Tensor y = run1("DequantizeLinear", {u8({2}, {4, 6}), test::make<float16>({}, {float16(0.5f)})}, {}, 19);
  EXPECT_EQ(y.dtype(), DType::kFloat16);
  EXPECT_EQ(test::values_f32(y), (std::vector<float>{2, 3}));
}

TEST(DequantizeLinear, ZeroPointTypeMismatchIsAnError) {
  run_error("DequantizeLinear", {u8({2}, {4, 6}), scalar_f(1), scalar_i8(0)});
}

TEST(DequantizeLinear, FloatInputIsAnError) { run_error("DequantizeLinear", {f32({1}, {1}), scalar_f(1)}); }

TEST(DequantizeLinear, InfersSymbolicShape) {
  auto t = infer_types("DequantizeLinear", 13, {vtype(DType::kUInt8, {Dim::symbolic("N"), 4}), vtype(DType::kFloat32, {})});
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].dtype, DType::kFloat32);
  EXPECT_EQ((*t)[0].dims[0].symbol, "N");
  EXPECT_EQ((*t)[0].dims[1].value, 4);
}

}  // namespace
}  // namespace ew
