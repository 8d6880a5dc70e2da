#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(ScatterElements, Axis1Replaces) {
  auto out = run_node("ScatterElements",
                      {make_f32({1, 5}, {1, 2, 3, 4, 5}), make_i64({1, 2}, {1, -2}), make_f32({1, 2}, {10, 20})},
                      {{"axis", Attribute::make_int(1)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 10, 3, 20, 5}));
}

TEST(ScatterElements, Reductions) {
  auto data = make_f32({3}, {1, 2, 3});
  auto idx = make_i64({3}, {0, 0, 2});
  auto upd = make_f32({3}, {5, 7, 2});
  auto with = [&](const char* r, int64_t opset) {
    auto out = run_node("ScatterElements", {data, idx, upd}, {{"reduction", Attribute::make_string(r)}}, 1, opset);
    EXPECT_TRUE(out.is_ok()) << out.status().to_string();
    return out.is_ok() ? values_f32((*out)[0]) : std::vector<float>{};
  };
  EXPECT_EQ(with("add", 16), (std::vector<float>{13, 2, 5}));
  EXPECT_EQ(with("mul", 16), (std::vector<float>{35, 2, 6}));
  EXPECT_EQ(with("max", 18), (std::vector<float>{7, 2, 3}));
  EXPECT_EQ(with("min", 18), (std::vector<float>{1, 2, 2}));
  // max is unknown before opset 18.
  EXPECT_FALSE(run_node("ScatterElements", {data, idx, upd}, {{"reduction", Attribute::make_string("max")}}, 1, 16).is_ok());
}

TEST(ScatterElements, DeprecatedScatterAlias) {
  auto out = run_node("Scatter", {make_f32({2, 2}, {0, 0, 0, 0}), make_i64({1, 2}, {1, 0}), make_f32({1, 2}, {1, 2})},
                      {}, 1, 9);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0, 2, 1, 0}));
}

TEST(ScatterElements, OutOfRangeIndexIsAnError) {
  auto out = run_node("ScatterElements", {make_f32({3}, {1, 2, 3}), make_i64({1}, {3}), make_f32({1}, {9})});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
  EXPECT_FALSE(run_node("ScatterElements", {make_f32({3}, {1, 2, 3}), make_i64({2}, {0, 1}), make_f32({1}, {9})}).is_ok());
}

}  // namespace ew
