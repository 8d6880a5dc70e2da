#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

Tensor x3x3() { return u8({1, 1, 3, 3}, {2, 3, 4, 5, 6, 7, 8, 9, 10}); }

TEST(ConvInteger, BasicWithInputZeroPoint) {
  Tensor y = run1("ConvInteger", {x3x3(), u8({1, 1, 2, 2}, {1, 1, 1, 1}), scalar_u8(1)}, {}, 10);
  EXPECT_EQ(y.dtype(), DType::kInt32);
  EXPECT_EQ(y.shape(), (Shape{1, 1, 2, 2}));
  EXPECT_EQ(ints(y), (std::vector<int64_t>{12, 16, 24, 28}));  // 2x2 sums of 1..9
}

TEST(ConvInteger, PaddingContributesNothing) {
  Tensor y = run1("ConvInteger", {x3x3(), u8({1, 1, 2, 2}, {1, 1, 1, 1}), scalar_u8(1)}, {{"pads", aints({1, 1, 1, 1})}});
  EXPECT_EQ(y.shape(), (Shape{1, 1, 4, 4}));
  const auto v = ints(y);
  EXPECT_EQ(v[0], 1);       // only x[0,0] - 1
  EXPECT_EQ(v[1], 3);       // 1 + 2
  EXPECT_EQ(v[5], 12);      // full window
  EXPECT_EQ(v[15], 9);      // only x[2,2] - 1
}

TEST(ConvInteger, PerChannelWeightZeroPoints) {
  Tensor y = run1("ConvInteger", {u8({1, 1, 1, 2}, {5, 7}), i8({2, 1, 1, 1}, {3, -1}), Tensor(), i8({2}, {1, -2})});
  EXPECT_EQ(ints(y), (std::vector<int64_t>{10, 14, 5, 7}));  // effective weights 2 and 1
}

TEST(ConvInteger, Groups) {
  Tensor y = run1("ConvInteger", {u8({1, 2, 1, 1}, {3, 4}), u8({2, 1, 1, 1}, {2, 5})}, {{"group", ai(2)}});
  EXPECT_EQ(ints(y), (std::vector<int64_t>{6, 20}));
}

TEST(ConvInteger, DilationsAndStrides) {
  Tensor x = u8({1, 1, 1, 5}, {1, 2, 3, 4, 5});
  Tensor w = u8({1, 1, 1, 2}, {1, 1});
  EXPECT_EQ(ints(run1("ConvInteger", {x, w}, {{"dilations", aints({1, 2})}})), (std::vector<int64_t>{4, 6, 8}));
  EXPECT_EQ(ints(run1("ConvInteger", {x, w}, {{"dilations", aints({1, 2})}, {"strides", aints({1, 2})}})),
            (std::vector<int64_t>{4, 8}));
}

TEST(ConvInteger, AutoPadSameUpperAndLower) {
  Tensor x = u8({1, 1, 1, 4}, {1, 2, 3, 4});
  Tensor w = u8({1, 1, 1, 2}, {1, 1});
  EXPECT_EQ(ints(run1("ConvInteger", {x, w}, {{"auto_pad", as("SAME_UPPER")}})), (std::vector<int64_t>{3, 5, 7, 4}));
  EXPECT_EQ(ints(run1("ConvInteger", {x, w}, {{"auto_pad", as("SAME_LOWER")}})), (std::vector<int64_t>{1, 3, 5, 7}));
}

TEST(ConvInteger, ChannelMismatchIsAnError) {
  run_error("ConvInteger", {u8({1, 2, 2, 2}, std::vector<uint8_t>(8, 1)), u8({1, 1, 1, 1}, {1})});
}

TEST(ConvInteger, NegativePadIsAnError) {
  run_error("ConvInteger", {x3x3(), u8({1, 1, 2, 2}, {1, 1, 1, 1})}, {{"pads", aints({-1, 0, 0, 0})}});
}

TEST(ConvInteger, InfersSymbolicBatch) {
  auto t = infer_types("ConvInteger", 10,
                       {vtype(DType::kUInt8, {Dim::symbolic("N"), 1, 5, 5}), vtype(DType::kUInt8, {2, 1, 3, 3})},
                       {{"strides", aints({2, 2})}, {"pads", aints({1, 1, 1, 1})}});
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].dtype, DType::kInt32);
  EXPECT_EQ((*t)[0].to_string(), "int32[N,2,3,3]");
}

}  // namespace
}  // namespace ew
