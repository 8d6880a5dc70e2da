#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::attr_f;
using atest::run_ok;
using test::make_f32;
using test::values_f32;

TEST(Dropout, InferenceIsIdentityWithTrueMask) {
  auto out = run_ok("Dropout", {make_f32({3}, {1, -2, 3})}, {}, 2, 13);
  EXPECT_EQ(values_f32(out[0]), (std::vector<float>{1, -2, 3}));
  ASSERT_EQ(out[1].dtype(), DType::kBool);
  EXPECT_EQ(test::values_i64(out[1]), (std::vector<int64_t>{1, 1, 1}));
}

TEST(Dropout, MaskHasInputTypeBeforeOpset10) {
  auto out = run_ok("Dropout", {make_f32({2}, {5, 6})}, {{"ratio", attr_f(0.3f)}}, 2, 7);
  ASSERT_EQ(out[1].dtype(), DType::kFloat32);
  EXPECT_EQ(values_f32(out[1]), (std::vector<float>{1, 1}));
}

TEST(Dropout, TrainingWithZeroRatioIsIdentity) {
  auto out = run_ok("Dropout", {make_f32({2}, {5, 6}), make_f32({}, {0.0f}), test::make<bool>({}, {true})}, {}, 2, 13);
  EXPECT_EQ(values_f32(out[0]), (std::vector<float>{5, 6}));
  EXPECT_EQ(test::values_i64(out[1]), (std::vector<int64_t>{1, 1}));
}

TEST(Dropout, RandomTrainingIsUnsupported) {
  auto r = test::run_node("Dropout", {make_f32({2}, {5, 6}), make_f32({}, {0.5f}), test::make<bool>({}, {true})}, {}, 1, 13);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(r.status().message().find("training_mode"), std::string::npos) << r.status().message();
}

TEST(Dropout, RatioOutOfRangeIsAnError) {
  atest::expect_error(test::run_node("Dropout", {make_f32({1}, {1})}, {{"ratio", attr_f(1.5f)}}, 1, 11), "ratio");
  atest::expect_error(test::run_node("Dropout", {make_f32({1}, {1}), make_f32({}, {-0.1f})}, {}, 1, 13), "ratio");
}

TEST(Dropout, InferMaskTypeWithSymbolicDims) {
  auto types = atest::infer_types("Dropout", 13, {atest::sym_type(DType::kFloat16, {Dim::symbolic("N"), 8})}, {}, 2);
  ASSERT_TRUE(types.is_ok()) << types.status().to_string();
  EXPECT_EQ((*types)[0].to_string(), "float16[N,8]");
  EXPECT_EQ((*types)[1].to_string(), "bool[N,8]");
}

}  // namespace ew
