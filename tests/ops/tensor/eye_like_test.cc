#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::run_node;

TEST(EyeLike, OffDiagonalAndDtype) {
  auto out = run_node("EyeLike", {test::make_f32({2, 3}, std::vector<float>(6, 5.0f))},
                      {{"k", Attribute::make_int(1)}, {"dtype", Attribute::make_int(7)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].dtype(), DType::kInt64);
  EXPECT_EQ(test::values_i64((*out)[0]), (std::vector<int64_t>{0, 1, 0, 0, 0, 1}));
}

TEST(EyeLike, NegativeKAndHugeK) {
  auto out = run_node("EyeLike", {test::make_f32({3, 2}, std::vector<float>(6, 0.0f))}, {{"k", Attribute::make_int(-1)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(test::values_f32((*out)[0]), (std::vector<float>{0, 0, 1, 0, 0, 1}));
  auto far = run_node("EyeLike", {test::make_f32({2, 2}, {1, 1, 1, 1})}, {{"k", Attribute::make_int(INT64_MAX)}});
  ASSERT_TRUE(far.is_ok());
  EXPECT_EQ(test::values_f32((*far)[0]), std::vector<float>(4, 0.0f));
}

TEST(EyeLike, Errors) {
  EXPECT_FALSE(run_node("EyeLike", {test::make_f32({3}, {1, 2, 3})}).is_ok());
  EXPECT_FALSE(run_node("EyeLike", {test::make_f32({1, 1}, {1})}, {{"dtype", Attribute::make_int(8)}}).is_ok());
}

}  // namespace ew
