#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

std::vector<Tensor> inputs(Tensor b_scale) {
  return {u8({1, 2}, {10, 20}), scalar_f(0.5f), scalar_u8(10), i8({2, 2}, {2, 1, 4, -3}),
          b_scale,              scalar_i8(0),   scalar_f(1),   scalar_u8(128)};
}

TEST(QLinearMatMul, PerTensorRequantization) {
  Tensor y = run1("QLinearMatMul", inputs(scalar_f(0.25f)), {}, 10);
  EXPECT_EQ(y.dtype(), DType::kUInt8);
  // acc = [40, -30], multiplier 0.125 -> 5, -3.75 -> -4; + 128.
  EXPECT_EQ(ints(y), (std::vector<int64_t>{133, 124}));
}

TEST(QLinearMatMul, PerColumnScaleRoundsHalfToEven) {
  Tensor y = run1("QLinearMatMul", inputs(f32({2}, {0.25f, 0.1f})));
  EXPECT_EQ(ints(y), (std::vector<int64_t>{133, 126}));  // -30 * 0.05 = -1.5 -> -2
}

TEST(QLinearMatMul, NonScalarOutputScaleIsAnError) {
  auto in = inputs(scalar_f(0.25f));
  in[6] = f32({2}, {1, 1});
  run_error("QLinearMatMul", in);
}

TEST(QLinearMatMul, InfersSymbolicBatch) {
  auto t = infer_types("QLinearMatMul", 10,
                       {vtype(DType::kInt8, {Dim::symbolic("B"), 4, 3}), vtype(DType::kFloat32, {}),
                        vtype(DType::kInt8, {}), vtype(DType::kInt8, {3, 5}), vtype(DType::kFloat32, {}),
                        vtype(DType::kInt8, {}), vtype(DType::kFloat32, {}), vtype(DType::kInt8, {})});
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].to_string(), "int8[B,4,5]");
}

}  // namespace
}  // namespace ew
