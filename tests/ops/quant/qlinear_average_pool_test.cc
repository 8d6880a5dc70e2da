#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

std::vector<Tensor> inputs(Tensor x) { return {x, scalar_f(1), scalar_u8(0), scalar_f(1), scalar_u8(0)}; }
Tensor x3x3(const Shape& s) { return u8(s, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }

TEST(QLinearAveragePool, Kernel2x2) {
  Tensor y = run1("QLinearAveragePool", inputs(x3x3({1, 1, 3, 3})), {{"kernel_shape", aints({2, 2})}}, 1, kMs);
  EXPECT_EQ(y.shape(), (Shape{1, 1, 2, 2}));
  EXPECT_EQ(ints(y), (std::vector<int64_t>{3, 4, 6, 7}));
}

TEST(QLinearAveragePool, PadsWithAndWithoutCountIncludePad) {
  std::map<std::string, Attribute> a{{"kernel_shape", aints({2, 2})}, {"strides", aints({2, 2})},
                                     {"pads", aints({1, 1, 1, 1})}};
  // Windows hold {1}, {2,3}, {4,7}, {5,6,8,9}.
  EXPECT_EQ(ints(run1("QLinearAveragePool", inputs(x3x3({1, 1, 3, 3})), a, 1, kMs)),
            (std::vector<int64_t>{1, 2, 6, 7}));  // 1, 2.5 -> 2, 5.5 -> 6, 7
  a["count_include_pad"] = ai(1);
  EXPECT_EQ(ints(run1("QLinearAveragePool", inputs(x3x3({1, 1, 3, 3})), a, 1, kMs)),
            (std::vector<int64_t>{0, 1, 3, 7}));  // 0.25, 1.25, 2.75, 7
}

TEST(QLinearAveragePool, ChannelsLast) {
  Tensor y = run1("QLinearAveragePool", inputs(x3x3({1, 3, 3, 1})),
                  {{"kernel_shape", aints({2, 2})}, {"channels_last", ai(1)}}, 1, kMs);
  EXPECT_EQ(y.shape(), (Shape{1, 2, 2, 1}));
  EXPECT_EQ(ints(y), (std::vector<int64_t>{3, 4, 6, 7}));
}

TEST(QLinearAveragePool, MissingKernelShapeIsAnError) {
  run_error("QLinearAveragePool", inputs(x3x3({1, 1, 3, 3})), {}, 1, kMs);
}

TEST(QLinearAveragePool, InfersSymbolicBatch) {
  auto t = infer_types("QLinearAveragePool", 1,
                       {vtype(DType::kUInt8, {Dim::symbolic("N"), 8, 4, 4}), vtype(DType::kFloat32, {}),
                        vtype(DType::kUInt8, {}), vtype(DType::kFloat32, {}), vtype(DType::kUInt8, {})},
                       {{"kernel_shape", aints({4, 4})}}, kMs);
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].to_string(), "uint8[N,8,1,1]");
}

}  // namespace
}  // namespace ew
