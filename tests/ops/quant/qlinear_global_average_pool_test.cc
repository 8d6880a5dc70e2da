#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

std::vector<Tensor> inputs(Tensor x, float sx, uint8_t zx, uint8_t zy) {
  return {x, scalar_f(sx), scalar_u8(zx), scalar_f(1), scalar_u8(zy)};
}

TEST(QLinearGlobalAveragePool, Nchw) {
  Tensor x = u8({1, 2, 2, 2}, {1, 2, 3, 4, 10, 10, 10, 11});
  Tensor y = run1("QLinearGlobalAveragePool", inputs(x, 1, 0, 0), {{"channels_last", ai(0)}}, 1, kMs);
  EXPECT_EQ(y.shape(), (Shape{1, 2, 1, 1}));
  EXPECT_EQ(ints(y), (std::vector<int64_t>{2, 10}));  // 2.5 -> 2, 10.25 -> 10
}

TEST(QLinearGlobalAveragePool, ChannelsLast) {
  Tensor x = u8({1, 2, 2, 2}, {1, 10, 2, 10, 3, 10, 4, 11});
  Tensor y = run1("QLinearGlobalAveragePool", inputs(x, 1, 0, 0), {{"channels_last", ai(1)}}, 1, kMs);
  EXPECT_EQ(y.shape(), (Shape{1, 1, 1, 2}));
  EXPECT_EQ(ints(y), (std::vector<int64_t>{2, 10}));
}

TEST(QLinearGlobalAveragePool, ZeroPointsAndScales) {
  Tensor x = u8({1, 2, 2, 2}, {1, 2, 3, 4, 10, 10, 10, 11});
  Tensor y = run1("QLinearGlobalAveragePool", inputs(x, 2, 1, 100), {}, 1, kMs);
  EXPECT_EQ(ints(y), (std::vector<int64_t>{103, 118}));  // (10 - 4) * 0.5 = 3; (41 - 4) * 0.5 = 18.5 -> 18
}

TEST(QLinearGlobalAveragePool, RankTwoIsAnError) {
  run_error("QLinearGlobalAveragePool", inputs(u8({2, 2}, {1, 2, 3, 4}), 1, 0, 0), {}, 1, kMs);
}

TEST(QLinearGlobalAveragePool, InfersSymbolicBatch) {
  auto t = infer_types("QLinearGlobalAveragePool", 1,
                       {vtype(DType::kUInt8, {Dim::symbolic("N"), 7, 7, 32}), vtype(DType::kFloat32, {}),
                        vtype(DType::kUInt8, {}), vtype(DType::kFloat32, {}), vtype(DType::kUInt8, {})},
                       {{"channels_last", ai(1)}}, kMs);
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].to_string(), "uint8[N,1,1,32]");
}

}  // namespace
}  // namespace ew
