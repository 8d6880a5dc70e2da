#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

TEST(QuantizeLinear, PerTensorUint8SaturatesAndRoundsHalfToEven) {
  Tensor y = run1("QuantizeLinear", {f32({6}, {0, 2, 3, 1000, -254, -1000}), scalar_f(2), scalar_u8(128)}, {}, 10);
  EXPECT_EQ(y.dtype(), DType::kUInt8);
  // x / 2 = 0, 1, 1.5 (-> 2), 500, -127, -500; + 128 then saturate.
  EXPECT_EQ(ints(y), (std::vector<int64_t>{128, 129, 130, 255, 1, 0}));
}

TEST(QuantizeLinear, TiesGoToEvenInt8) {
  Tensor y = run1("QuantizeLinear", {f32({6}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -200}), scalar_f(1), scalar_i8(0)});
  EXPECT_EQ(y.dtype(), DType::kInt8);
  EXPECT_EQ(ints(y), (std::vector<int64_t>{0, 2, 2, 0, -2, -128}));
}

TEST(QuantizeLinear, DefaultsToUint8WithoutZeroPoint) {
  Tensor y = run1("QuantizeLinear", {f32({2}, {-1, 1.4f}), scalar_f(1)});
  EXPECT_EQ(y.dtype(), DType::kUInt8);
  EXPECT_EQ(ints(y), (std::vector<int64_t>{0, 1}));
}

TEST(QuantizeLinear, PerAxisAtOpset13) {
  Tensor y = run1("QuantizeLinear", {f32({1, 2, 2}, {1, 2, 3, 4}), f32({2}, {1, 2}), i8({2}, {0, 10})},
                  {{"axis", ai(1)}}, 13);
  // channel 1: 3/2 = 1.5 -> 2, 4/2 = 2; + 10.
  EXPECT_EQ(ints(y), (std::vector<int64_t>{1, 2, 12, 12}));
}

TEST(QuantizeLinear, BlockedAtOpset21) {
  Tensor y = run1("QuantizeLinear", {f32({2, 4}, {1, 2, 3, 4, 8, 8, 8, 8}), f32({2, 2}, {1, 2, 4, 8})},
                  {{"axis", ai(1)}, {"block_size", ai(2)}}, 21);
  EXPECT_EQ(ints(y), (std::vector<int64_t>{1, 2, 2, 2, 2, 2, 1, 1}));
}

TEST(QuantizeLinear, OutputDtypeAttributeAtOpset21) {
  Tensor y = run1("QuantizeLinear", {f32({1}, {-3}), scalar_f(1)}, {{"output_dtype", ai(3)}}, 21);
  EXPECT_EQ(y.dtype(), DType::kInt8);
  EXPECT_EQ(ints(y), (std::vector<int64_t>{-3}));
}

TEST(QuantizeLinear, Int16ZeroPointAtOpset21) {
  Tensor y = run1("QuantizeLinear", {f32({2}, {1000, -70000}), scalar_f(1), test::make<int16_t>({}, {0})}, {}, 21);
  EXPECT_EQ(y.dtype(), DType::kInt16);
  EXPECT_EQ(ints(y), (std::vector<int64_t>{1000, -32768}));
}

TEST(QuantizeLinear, WrongPerAxisScaleSizeIsAnError) {
  std::string msg = run_error("QuantizeLinear", {f32({1, 2, 2}, {1, 2, 3, 4}), f32({3}, {1, 1, 1})},
                              {{"axis", ai(1)}}, 13);
  EXPECT_NE(msg.find("per-axis"), std::string::npos) << msg;
}

TEST(QuantizeLinear, IntegerInputOtherThanInt32IsAnError) {
  run_error("QuantizeLinear", {test::make_i64({1}, {1}), scalar_f(1)});
}

TEST(QuantizeLinear, InfersSymbolicShape) {
  auto t = infer_types("QuantizeLinear", 13,
                       {vtype(DType::kFloat32, {Dim::symbolic("N"), 3}), vtype(DType::kFloat32, {}),
                        vtype(DType::kInt8, {})});
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].dtype, DType::kInt8);
  EXPECT_EQ((*t)[0].dims[0].symbol, "N");
}

}  // namespace
}  // namespace ew
