#include <gtest/gtest.h>

#include "ops/tensor/static_infer.h"
#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

namespace {
Tensor iota_2x5() { return make_f32({2, 5}, {0, 1, 2, 3, 4, 10, 11, 12, 13, 14}); }
}  // namespace

TEST(Slice, InputsWithStepsAndClamping) {
  auto out = run_node("Slice", {iota_2x5(), make_i64({2}, {0, 1}), make_i64({2}, {100, 1000}),
                                make_i64({2}, {0, 1}), make_i64({2}, {1, 2})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 3, 11, 13}));
}

TEST(Slice, NegativeStepReverses) {
  auto out = run_node("Slice", {iota_2x5(), make_i64({1}, {-1}), make_i64({1}, {INT64_MIN}), make_i64({1}, {1}),
                                make_i64({1}, {-2})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{4, 2, 0, 14, 12, 10}));
}

TEST(Slice, AttributesBeforeOpset10) {
  auto out = run_node("Slice", {iota_2x5()},
                      {{"starts", Attribute::make_ints({1})}, {"ends", Attribute::make_ints({-1})},
                       {"axes", Attribute::make_ints({-1})}},
                      1, 9);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 2, 3, 11, 12, 13}));
}

TEST(Slice, EmptyWhenStartPastEnd) {
  auto out = run_node("Slice", {iota_2x5(), make_i64({1}, {4}), make_i64({1}, {2}), make_i64({1}, {1})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 0}));
}

TEST(Slice, Errors) {
  EXPECT_FALSE(run_node("Slice", {iota_2x5(), make_i64({1}, {0}), make_i64({1}, {2}), make_i64({1}, {0}),
                                  make_i64({1}, {0})}).is_ok());  // step 0
  EXPECT_FALSE(run_node("Slice", {iota_2x5(), make_i64({1}, {0}), make_i64({1}, {2}), make_i64({1}, {2})}).is_ok());
  EXPECT_FALSE(run_node("Slice", {iota_2x5(), make_i64({2}, {0, 0}), make_i64({1}, {2})}).is_ok());
}

TEST(Slice, SymbolicDimStaysUnknownOthersFixed) {
  test::StaticGraph g;
  g.input("x", DType::kFloat32, {Dim::symbolic("N"), 10})
      .constant("s", make_i64({2}, {0, 2}))
      .constant("e", make_i64({2}, {1, 8}))
      .node("Slice", {"x", "s", "e"}, {"y"});
  EXPECT_EQ(g.type_of("y"), "float32[?,6]");
}

}  // namespace ew
