#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {

TEST(Identity, PassesAnyTypeThrough) {
  auto out = atest::run_ok("Identity", {test::make_i64({2, 2}, {1, -2, 3, 4})});
  EXPECT_EQ(out[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(test::values_i64(out[0]), (std::vector<int64_t>{1, -2, 3, 4}));
  auto b = atest::run_ok("Identity", {test::make<bool>({2}, {true, false})});
  EXPECT_EQ(b[0].dtype(), DType::kBool);
}

TEST(Identity, MissingInputIsAnError) {
  EXPECT_FALSE(test::run_node("Identity", {}).is_ok());
}

TEST(Identity, InferKeepsSymbolicDims) {
  auto types = atest::infer_types("Identity", 17, {atest::sym_type(DType::kUInt8, {Dim::symbolic("B"), Dim{}})});
  ASSERT_TRUE(types.is_ok()) << types.status().to_string();
  EXPECT_EQ((*types)[0].to_string(), "uint8[B,?]");
}

}  // namespace ew
