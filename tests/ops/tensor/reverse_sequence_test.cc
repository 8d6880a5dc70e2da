#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(ReverseSequence, TimeMajor) {
  // x[t][b]: 3 steps, 2 batches; batch 0 reverses 3 steps, batch 1 reverses 2.
  auto out = run_node("ReverseSequence", {make_f32({3, 2}, {0, 10, 1, 11, 2, 12}), make_i64({2}, {3, 2})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{2, 11, 1, 10, 0, 12}));
}

TEST(ReverseSequence, BatchMajor) {
  auto out = run_node("ReverseSequence", {make_f32({2, 3}, {0, 1, 2, 10, 11, 12}), make_i64({2}, {1, 3})},
                      {{"batch_axis", Attribute::make_int(0)}, {"time_axis", Attribute::make_int(1)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 1, 2, 12, 11, 10}));
}

TEST(ReverseSequence, Errors) {
  auto x = make_f32({3, 2}, {0, 1, 2, 3, 4, 5});
  auto out = run_node("ReverseSequence", {x, make_i64({2}, {4, 1})});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
  EXPECT_FALSE(run_node("ReverseSequence", {x, make_i64({3}, {1, 1, 1})}).is_ok());
  EXPECT_FALSE(run_node("ReverseSequence", {x, make_i64({2}, {1, 1})}, {{"batch_axis", Attribute::make_int(0)}}).is_ok());
}

}  // namespace ew
