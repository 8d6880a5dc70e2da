#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(ScatterND, ElementsAndSlices) {
  auto elems = run_node("ScatterND", {make_f32({4}, {1, 2, 3, 4}), make_i64({2, 1}, {3, -4}), make_f32({2}, {9, 8})});
  ASSERT_TRUE(elems.is_ok()) << elems.status().to_string();
  EXPECT_EQ(values_f32((*elems)[0]), (std::vector<float>{8, 2, 3, 9}));
  auto rows = run_node("ScatterND", {make_f32({2, 2}, {1, 2, 3, 4}), make_i64({1, 1}, {1}), make_f32({1, 2}, {7, 7})});
  ASSERT_TRUE(rows.is_ok()) << rows.status().to_string();
  EXPECT_EQ(values_f32((*rows)[0]), (std::vector<float>{1, 2, 7, 7}));
}

TEST(ScatterND, AddAccumulatesDuplicates) {
  auto out = run_node("ScatterND", {make_f32({2}, {1, 1}), make_i64({2, 1}, {0, 0}), make_f32({2}, {2, 3})},
                      {{"reduction", Attribute::make_string("add")}}, 1, 16);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{6, 1}));
}

TEST(ScatterND, Errors) {
  auto data = make_f32({2, 2}, {1, 2, 3, 4});
  auto out = run_node("ScatterND", {data, make_i64({1, 2}, {0, 2}), make_f32({1}, {5})});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
  EXPECT_FALSE(run_node("ScatterND", {data, make_i64({1, 1}, {0}), make_f32({1, 3}, {5, 5, 5})}).is_ok());
  EXPECT_FALSE(run_node("ScatterND", {data, make_i64({1, 3}, {0, 0, 0}), make_f32({1}, {5})}).is_ok());
}

}  // namespace ew
