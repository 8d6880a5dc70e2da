#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(Split, EqualParts) {
  auto out = run_node("Split", {make_f32({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8})}, {{"axis", Attribute::make_int(1)}}, 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 2, 5, 6}));
  EXPECT_EQ(values_f32((*out)[1]), (std::vector<float>{3, 4, 7, 8}));
}

TEST(Split, SizesAsAttributeThenInput) {
  auto x = make_f32({5}, {1, 2, 3, 4, 5});
  auto a = run_node("Split", {x}, {{"split", Attribute::make_ints({2, 3})}}, 2, 11);
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_EQ(values_f32((*a)[1]), (std::vector<float>{3, 4, 5}));
  auto b = run_node("Split", {x, make_i64({2}, {4, 1})}, {}, 2, 13);
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  EXPECT_EQ(values_f32((*b)[0]), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(values_f32((*b)[1]), (std::vector<float>{5}));
}

TEST(Split, NumOutputsUnevenLastChunkAtOpset18) {
  auto x = make_f32({7}, {1, 2, 3, 4, 5, 6, 7});
  auto out = run_node("Split", {x}, {{"num_outputs", Attribute::make_int(3)}}, 3, 18);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(values_f32((*out)[1]), (std::vector<float>{4, 5, 6}));
  EXPECT_EQ(values_f32((*out)[2]), (std::vector<float>{7}));
  // Without num_outputs (before 18) the parts must be equal.
  EXPECT_FALSE(run_node("Split", {x}, {}, 3, 13).is_ok());
}

TEST(Split, BadSizes) {
  auto x = make_f32({5}, {1, 2, 3, 4, 5});
  EXPECT_FALSE(run_node("Split", {x, make_i64({2}, {2, 2})}, {}, 2).is_ok());
  EXPECT_FALSE(run_node("Split", {x, make_i64({2}, {6, -1})}, {}, 2).is_ok());
  EXPECT_FALSE(run_node("Split", {x, make_i64({3}, {1, 2, 2})}, {}, 2).is_ok());
}

}  // namespace ew
