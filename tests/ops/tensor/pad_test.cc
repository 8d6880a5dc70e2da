#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

namespace {
std::vector<float> pad_1d(const std::string& mode, std::vector<int64_t> pads, int64_t opset = 11) {
  auto out = run_node("Pad", {make_f32({3}, {1, 2, 3}), make_i64({2}, pads)},
                      {{"mode", Attribute::make_string(mode)}}, 1, opset);
  EXPECT_TRUE(out.is_ok()) << out.status().to_string();
  return out.is_ok() ? values_f32((*out)[0]) : std::vector<float>{};
}
}  // namespace

TEST(Pad, Modes) {
  EXPECT_EQ(pad_1d("constant", {1, 2}), (std::vector<float>{0, 1, 2, 3, 0, 0}));
  EXPECT_EQ(pad_1d("edge", {2, 1}), (std::vector<float>{1, 1, 1, 2, 3, 3}));
  EXPECT_EQ(pad_1d("reflect", {2, 2}), (std::vector<float>{3, 2, 1, 2, 3, 2, 1}));
  EXPECT_EQ(pad_1d("wrap", {2, 1}, 19), (std::vector<float>{2, 3, 1, 2, 3, 1}));
  EXPECT_EQ(pad_1d("constant", {-1, 1}), (std::vector<float>{2, 3, 0}));
}

TEST(Pad, ConstantValueInputAndAxesAtOpset18) {
  auto out = run_node("Pad", {make_f32({2, 2}, {1, 2, 3, 4}), make_i64({2}, {1, 0}), make_f32({}, {9}),
                              make_i64({1}, {-1})},
                      {}, 1, 18);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{9, 1, 2, 9, 3, 4}));
}

TEST(Pad, AttributesBeforeOpset11) {
  auto out = run_node("Pad", {make_f32({1, 2}, {1, 2})},
                      {{"pads", Attribute::make_ints({1, 0, 0, 1})}, {"value", Attribute::make_float(5)}}, 1, 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{5, 5, 5, 1, 2, 5}));
}

TEST(Pad, Errors) {
  auto x = make_f32({3}, {1, 2, 3});
  EXPECT_FALSE(run_node("Pad", {x, make_i64({1}, {1})}).is_ok());             // wrong pads length
  EXPECT_FALSE(run_node("Pad", {x, make_i64({2}, {-2, -2})}).is_ok());        // negative size
  EXPECT_FALSE(run_node("Pad", {x, make_i64({2}, {1, 1})}, {{"mode", Attribute::make_string("mirror")}}).is_ok());
  EXPECT_FALSE(run_node("Pad", {x, make_i64({2}, {1, 1})}, {{"mode", Attribute::make_string("wrap")}}, 1, 18).is_ok());
}

}  // namespace ew
