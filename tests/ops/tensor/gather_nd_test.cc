#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(GatherND, FullAndPartialTuples) {
  auto data = make_f32({2, 2}, {0, 1, 2, 3});
  auto full = run_node("GatherND", {data, make_i64({2, 2}, {0, 0, 1, 1})});
  ASSERT_TRUE(full.is_ok()) << full.status().to_string();
  EXPECT_EQ(values_f32((*full)[0]), (std::vector<float>{0, 3}));
  auto rows = run_node("GatherND", {data, make_i64({2, 1}, {1, 0})});
  ASSERT_TRUE(rows.is_ok()) << rows.status().to_string();
  EXPECT_EQ((*rows)[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_f32((*rows)[0]), (std::vector<float>{2, 3, 0, 1}));
}

TEST(GatherND, BatchDims) {
  // data [2,2,2]; batch 0 picks row 1, batch 1 picks row 0.
  auto data = make_f32({2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  auto out = run_node("GatherND", {data, make_i64({2, 1}, {1, 0})}, {{"batch_dims", Attribute::make_int(1)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{2, 3, 4, 5}));
}

TEST(GatherND, Errors) {
  auto data = make_f32({2, 2}, {0, 1, 2, 3});
  auto out = run_node("GatherND", {data, make_i64({1, 2}, {0, 2})});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
  EXPECT_FALSE(run_node("GatherND", {data, make_i64({1, 3}, {0, 0, 0})}).is_ok());
  EXPECT_FALSE(run_node("GatherND", {data, make_i64({1, 1}, {0})}, {{"batch_dims", Attribute::make_int(2)}}).is_ok());
}

}  // namespace ew
