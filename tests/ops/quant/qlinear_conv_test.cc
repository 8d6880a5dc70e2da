#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

// x real values [0, 5, 10, 15]; two 1x1 filters with per-channel scales and an int32 bias.
std::vector<Tensor> per_channel_inputs(uint8_t y_zp) {
  return {u8({1, 1, 2, 2}, {10, 20, 30, 40}), scalar_f(0.5f), scalar_u8(10),
          i8({2, 1, 1, 1}, {2, -4}),          f32({2}, {0.25f, 0.5f}), i8({2}, {0, 0}),
          scalar_f(1),                         scalar_u8(y_zp),  i32({2}, {4, 0})};
}

TEST(QLinearConv, PerChannelScalesBiasAndHalfEvenRounding) {
  Tensor y = run1("QLinearConv", per_channel_inputs(100), {}, 10);
  EXPECT_EQ(y.dtype(), DType::kUInt8);
  // ch0: (acc + 4) * 0.125 = 0.5 -> 0, 3, 5.5 -> 6, 8; ch1: acc * 0.25 = 0, -10, -20, -30.
  EXPECT_EQ(ints(y), (std::vector<int64_t>{100, 103, 106, 108, 100, 90, 80, 70}));
}

TEST(QLinearConv, Saturates) {
  Tensor y = run1("QLinearConv", per_channel_inputs(250), {}, 10);
  EXPECT_EQ(ints(y), (std::vector<int64_t>{250, 253, 255, 255, 250, 240, 230, 220}));
}

TEST(QLinearConv, DepthwiseInt8Output) {
  Tensor y = run1("QLinearConv", {u8({1, 2, 1, 3}, {1, 2, 3, 4, 5, 6}), scalar_f(1), scalar_u8(0),
                                  i8({2, 1, 1, 2}, {1, 1, 1, -1}), scalar_f(1), scalar_i8(0), scalar_f(1),
                                  scalar_i8(0)},
                  {{"group", ai(2)}});
  EXPECT_EQ(y.dtype(), DType::kInt8);
  EXPECT_EQ(ints(y), (std::vector<int64_t>{3, 5, -1, -1}));
}

TEST(QLinearConv, PaddingStandsForTheInputZeroPoint) {
  Tensor y = run1("QLinearConv", {u8({1, 1, 1, 2}, {12, 14}), scalar_f(1), scalar_u8(10),
                                  i8({1, 1, 1, 3}, {1, 1, 1}), scalar_f(1), scalar_i8(0), scalar_f(1), scalar_u8(0)},
                  {{"pads", aints({0, 1, 0, 1})}});
  EXPECT_EQ(ints(y), (std::vector<int64_t>{6, 6}));
}

TEST(QLinearConv, WrongScaleCountIsAnError) {
  auto in = per_channel_inputs(100);
  in[4] = f32({3}, {1, 1, 1});
  std::string msg = run_error("QLinearConv", in);
  EXPECT_NE(msg.find("w_scale"), std::string::npos) << msg;
}

TEST(QLinearConv, InfersSymbolicBatch) {
  auto t = infer_types("QLinearConv", 10,
                       {vtype(DType::kUInt8, {Dim::symbolic("N"), 1, 5, 5}), vtype(DType::kFloat32, {}),
                        vtype(DType::kUInt8, {}), vtype(DType::kInt8, {2, 1, 3, 3}), vtype(DType::kFloat32, {2}),
                        vtype(DType::kInt8, {2}), vtype(DType::kFloat32, {}), vtype(DType::kUInt8, {})},
                       {{"strides", aints({2, 2})}, {"pads", aints({1, 1, 1, 1})}});
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].to_string(), "uint8[N,2,3,3]");
}

}  // namespace
}  // namespace ew
