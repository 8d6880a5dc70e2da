#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

TEST(QLinearAdd, RequantizesAndBroadcastsScalar) {
  Tensor y = run1("QLinearAdd", {u8({4}, {0, 10, 20, 255}), scalar_f(0.5f), scalar_u8(10), u8({1}, {20}),
                                 scalar_f(0.25f), scalar_u8(0), scalar_f(1), scalar_u8(5)},
                  {}, 1, kMs);
  // 0.5 * (a - 10) + 5 = 0, 5, 10, 127.5 (-> 128); + 5.
  EXPECT_EQ(ints(y), (std::vector<int64_t>{5, 10, 15, 133}));
}

TEST(QLinearAdd, BroadcastsRowsAndColumns) {
  Tensor y = run1("QLinearAdd", {i8({2, 1}, {1, 2}), scalar_f(1), scalar_i8(0), i8({1, 2}, {10, 20}), scalar_f(1),
                                 scalar_i8(0), scalar_f(1), scalar_i8(0)},
                  {}, 1, kMs);
  EXPECT_EQ(y.shape(), (Shape{2, 2}));
  EXPECT_EQ(ints(y), (std::vector<int64_t>{11, 21, 12, 22}));
}

TEST(QLinearMul, RequantizesSaturatesAndRoundsHalfToEven) {
  Tensor y = run1("QLinearMul", {i8({4}, {4, -6, 100, 5}), scalar_f(0.5f), scalar_i8(0), i8({4}, {3, 3, 100, 3}),
                                 scalar_f(0.5f), scalar_i8(1), scalar_f(1), scalar_i8(-10)},
                  {}, 1, kMs);
  // products 8, -12, 9900, 10 times 0.25 -> 2, -3, 2475, 2.5 (-> 2); - 10.
  EXPECT_EQ(ints(y), (std::vector<int64_t>{-8, -13, 127, -8}));
}

TEST(QLinearAdd, MixedTypesAreAnError) {
  run_error("QLinearAdd", {u8({1}, {1}), scalar_f(1), scalar_u8(0), i8({1}, {1}), scalar_f(1), scalar_i8(0),
                           scalar_f(1), scalar_u8(0)},
            {}, 1, kMs);
}

TEST(QLinearAdd, InfersBroadcastShape) {
  auto t = infer_types("QLinearAdd", 1,
                       {vtype(DType::kUInt8, {Dim::symbolic("N"), 1, 4}), vtype(DType::kFloat32, {}),
                        vtype(DType::kUInt8, {}), vtype(DType::kUInt8, {3, 1}), vtype(DType::kFloat32, {}),
                        vtype(DType::kUInt8, {}), vtype(DType::kFloat32, {}), vtype(DType::kUInt8, {})},
                       {}, kMs);
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].to_string(), "uint8[N,3,4]");
}

}  // namespace
}  // namespace ew
