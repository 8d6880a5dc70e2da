#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

Tensor a23() { return u8({2, 3}, {1, 2, 3, 4, 5, 6}); }
Tensor b32() { return u8({3, 2}, {1, 0, 0, 1, 1, 1}); }

TEST(MatMulInteger, ScalarZeroPoint) {
  Tensor y = run1("MatMulInteger", {a23(), b32(), scalar_u8(1)}, {}, 10);
  EXPECT_EQ(y.dtype(), DType::kInt32);
  EXPECT_EQ(y.shape(), (Shape{2, 2}));
  EXPECT_EQ(ints(y), (std::vector<int64_t>{2, 3, 8, 9}));
}

TEST(MatMulInteger, PerRowAndPerColumnZeroPoints) {
  EXPECT_EQ(ints(run1("MatMulInteger", {a23(), b32(), u8({2}, {1, 4})})), (std::vector<int64_t>{2, 3, 2, 3}));
  Tensor b = i8({3, 2}, {1, 0, 0, 1, 1, 1});
  EXPECT_EQ(ints(run1("MatMulInteger", {a23(), b, Tensor(), i8({2}, {1, 0})})), (std::vector<int64_t>{-2, 5, -5, 11}));
}

TEST(MatMulInteger, BroadcastsBatchAndPromotesVectors) {
  Tensor y = run1("MatMulInteger", {u8({2, 1, 2}, {1, 2, 3, 4}), u8({2, 1}, {1, 1})});
  EXPECT_EQ(y.shape(), (Shape{2, 1, 1}));
  EXPECT_EQ(ints(y), (std::vector<int64_t>{3, 7}));
  Tensor v = run1("MatMulInteger", {u8({3}, {1, 2, 3}), b32()});
  EXPECT_EQ(v.shape(), (Shape{2}));
  EXPECT_EQ(ints(v), (std::vector<int64_t>{4, 5}));
}

TEST(MatMulInteger, InnerDimensionMismatchIsAnError) { run_error("MatMulInteger", {a23(), a23()}); }

TEST(MatMulInteger, BadZeroPointSizeIsAnError) { run_error("MatMulInteger", {a23(), b32(), u8({3}, {1, 1, 1})}); }

TEST(MatMulInteger, InfersSymbolicRows) {
  auto t = infer_types("MatMulInteger", 10, {vtype(DType::kUInt8, {Dim::symbolic("N"), 3}), vtype(DType::kInt8, {3, 2})});
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].to_string(), "int32[N,2]");
}

}  // namespace
}  // namespace ew
