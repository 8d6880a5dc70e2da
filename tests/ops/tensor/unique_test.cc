#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::run_node;
using test::values_f32;
using test::values_i64;

TEST(Unique, SortedFlat) {
  auto out = run_node("Unique", {make_f32({6}, {2, 1, 1, 3, 4, 3})}, {}, 4);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(values_i64((*out)[1]), (std::vector<int64_t>{1, 0, 3, 4}));
  EXPECT_EQ(values_i64((*out)[2]), (std::vector<int64_t>{1, 0, 0, 2, 3, 2}));
  EXPECT_EQ(values_i64((*out)[3]), (std::vector<int64_t>{2, 1, 2, 1}));
}

TEST(Unique, UnsortedKeepsFirstOccurrenceOrder) {
  auto out = run_node("Unique", {make_f32({6}, {2, 1, 1, 3, 4, 3})}, {{"sorted", Attribute::make_int(0)}}, 4);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{2, 1, 3, 4}));
  EXPECT_EQ(values_i64((*out)[1]), (std::vector<int64_t>{0, 1, 3, 4}));
  EXPECT_EQ(values_i64((*out)[2]), (std::vector<int64_t>{0, 1, 1, 2, 3, 2}));
  EXPECT_EQ(values_i64((*out)[3]), (std::vector<int64_t>{1, 2, 2, 1}));
}

TEST(Unique, RowsAlongAxis) {
  auto out = run_node("Unique", {make_f32({3, 2}, {1, 0, 0, 1, 1, 0})}, {{"axis", Attribute::make_int(0)}}, 4);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 1, 1, 0}));
  EXPECT_EQ(values_i64((*out)[2]), (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(values_i64((*out)[3]), (std::vector<int64_t>{1, 2}));
}

TEST(Unique, BadAxis) {
  EXPECT_FALSE(run_node("Unique", {make_f32({2}, {1, 2})}, {{"axis", Attribute::make_int(1)}}).is_ok());
}

}  // namespace ew
