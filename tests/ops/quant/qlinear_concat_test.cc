#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

TEST(QLinearConcat, CopiesOrRequantizesEachInput) {
  Tensor y = run1("QLinearConcat", {scalar_f(1), scalar_u8(0), u8({1, 2}, {1, 2}), scalar_f(1), scalar_u8(0),
                                    u8({1, 1}, {10}), scalar_f(0.5f), scalar_u8(4)},
                  {{"axis", ai(1)}}, 1, kMs);
  EXPECT_EQ(y.shape(), (Shape{1, 3}));
  EXPECT_EQ(ints(y), (std::vector<int64_t>{1, 2, 3}));  // (10 - 4) * 0.5 = 3
}

TEST(QLinearConcat, AxisZeroAndNegativeAxis) {
  std::vector<Tensor> in{scalar_f(1), scalar_i8(0), i8({1, 2}, {1, 2}), scalar_f(1), scalar_i8(0),
                         i8({1, 2}, {-3, -4}), scalar_f(1), scalar_i8(0)};
  Tensor y = run1("QLinearConcat", in, {{"axis", ai(0)}}, 1, kMs);
  EXPECT_EQ(y.shape(), (Shape{2, 2}));
  EXPECT_EQ(ints(y), (std::vector<int64_t>{1, 2, -3, -4}));
  Tensor z = run1("QLinearConcat", in, {{"axis", ai(-1)}}, 1, kMs);
  EXPECT_EQ(z.shape(), (Shape{1, 4}));
  EXPECT_EQ(ints(z), (std::vector<int64_t>{1, 2, -3, -4}));
}

TEST(QLinearConcat, IncompleteTripleIsAnError) {
  run_error("QLinearConcat", {scalar_f(1), scalar_u8(0), u8({1}, {1}), scalar_f(1)}, {{"axis", ai(0)}}, 1, kMs);
}

TEST(QLinearConcat, ShapeMismatchIsAnError) {
  run_error("QLinearConcat", {scalar_f(1), scalar_u8(0), u8({1, 2}, {1, 2}), scalar_f(1), scalar_u8(0),
                              u8({2, 1}, {1, 2}), scalar_f(1), scalar_u8(0)},
            {{"axis", ai(1)}}, 1, kMs);
}

TEST(QLinearConcat, InfersSymbolicShape) {
  auto t = infer_types("QLinearConcat", 1,
                       {vtype(DType::kFloat32, {}), vtype(DType::kUInt8, {}), vtype(DType::kUInt8, {Dim::symbolic("N"), 2}),
                        vtype(DType::kFloat32, {}), vtype(DType::kUInt8, {}), vtype(DType::kUInt8, {Dim::symbolic("N"), 3}),
                        vtype(DType::kFloat32, {}), vtype(DType::kUInt8, {})},
                       {{"axis", ai(1)}}, kMs);
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].to_string(), "uint8[N,5]");
}

}  // namespace
}  // namespace ew
