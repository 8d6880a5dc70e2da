#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

TEST(QLinearSigmoid, MapsThroughDequantizedSigmoid) {
  Tensor y = run1("QLinearSigmoid", {u8({3}, {128, 0, 255}), scalar_f(0.1f), scalar_u8(128), scalar_f(1.0f / 256),
                                     scalar_u8(0)},
                  {}, 1, kMs);
  // sigmoid(0) * 256 = 128; sigmoid(-12.8) ~ 0; sigmoid(12.7) * 256 ~ 256 -> saturates at 255.
  EXPECT_EQ(ints(y), (std::vector<int64_t>{128, 0, 255}));
}

TEST(QLinearLeakyRelu, AppliesAlphaAndRoundsHalfToEven) {
  Tensor y = run1("QLinearLeakyRelu", {i8({4}, {-10, 0, 10, -5}), scalar_f(1), scalar_i8(0), scalar_f(1), scalar_i8(0)},
                  {{"alpha", af(0.5f)}}, 1, kMs);
  EXPECT_EQ(ints(y), (std::vector<int64_t>{-5, 0, 10, -2}));
}

TEST(QLinearSigmoid, FloatInputIsAnError) {
  run_error("QLinearSigmoid", {f32({1}, {0}), scalar_f(1), Tensor(), scalar_f(1)}, {}, 1, kMs);
}

TEST(QLinearLeakyRelu, KeepsSymbolicShape) {
  auto t = infer_types("QLinearLeakyRelu", 1,
                       {vtype(DType::kInt8, {Dim::symbolic("N"), 8}), vtype(DType::kFloat32, {}),
                        vtype(DType::kInt8, {}), vtype(DType::kFloat32, {}), vtype(DType::kInt8, {})},
                       {}, kMs);
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].to_string(), "int8[N,8]");
}

}  // namespace
}  // namespace ew
