// The backward ops of the CNN/transformer rules on hand-computed cases, and
// their refusal of inconsistent shapes (a Status, never a crash).
#include <gtest/gtest.h>

#include "ops/grad/grad_domain.h"
#include "test_util.h"

namespace ew {
namespace {

using test::make_f32;
using test::make_i64;
using test::values_f32;
using Attrs = std::map<std::string, Attribute>;

Result<std::vector<Tensor>> run_grad(const std::string& op, const std::vector<Tensor>& in, const Attrs& attrs = {},
                                     int outputs = 1) {
  return test::run_node(op, in, attrs, outputs, 1, kGradDomain);
}

std::vector<float> ok_values(const Result<std::vector<Tensor>>& r, size_t i = 0) {
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? values_f32((*r)[i]) : std::vector<float>{};
}

void expect_error(const Result<std::vector<Tensor>>& r, const std::string& text) {
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find(text), std::string::npos) << r.status().to_string();
}

const Tensor kX33 = make_f32({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
const Tensor kW22 = make_f32({1, 1, 2, 2}, {1, 2, 3, 4});
const Tensor kOnes22 = make_f32({1, 1, 2, 2}, {1, 1, 1, 1});

TEST(GradOps, ConvGradInputIsTheFullCorrelation) {
  EXPECT_EQ(ok_values(run_grad("ConvGradInput", {kOnes22, kW22, kX33})), (std::vector<float>{1, 3, 2, 4, 10, 6, 3, 7, 4}));
  // Stride 2 with pads: only the positions the windows read get gradient.
  auto r = run_grad("ConvGradInput", {make_f32({1, 1, 1, 1}, {2}), kW22, kX33}, {{"strides", Attribute::make_ints({2, 2})}});
  EXPECT_EQ(ok_values(r), (std::vector<float>{2, 4, 0, 6, 8, 0, 0, 0, 0}));
}

TEST(GradOps, ConvGradFilterSumsInputWindows) {
  EXPECT_EQ(ok_values(run_grad("ConvGradFilter", {kOnes22, kX33, kW22})), (std::vector<float>{12, 16, 24, 28}));
  // The optional second output is the bias gradient: dY summed over images and positions.
  auto both = run_grad("ConvGradFilter", {make_f32({2, 1, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}),
                                          make_f32({2, 1, 3, 3}, std::vector<float>(18, 1)), kW22},
                       {}, 2);
  EXPECT_EQ(ok_values(both, 0), (std::vector<float>{36, 36, 36, 36}));
  EXPECT_EQ(ok_values(both, 1), (std::vector<float>{36}));
}

TEST(GradOps, ConvGradRejectsInconsistentShapes) {
  expect_error(run_grad("ConvGradInput", {make_f32({1, 1, 3, 3}, std::vector<float>(9, 1)), kW22, kX33}),
               "is not the Conv output shape");
  expect_error(run_grad("ConvGradFilter", {kOnes22, kX33, make_f32({1, 2, 2, 2}, std::vector<float>(8, 1))}),
               "does not fit");
  expect_error(run_grad("ConvGradFilter", {kOnes22, kX33, kW22}, {{"group", Attribute::make_int(2)}}), "does not fit");
  expect_error(run_grad("ConvGradInput", {kOnes22, kW22, make_f32({3, 3}, std::vector<float>(9, 1))}), "spatial axes");
}

TEST(GradOps, MaxPoolGradPicksTheFirstMaximum) {
  auto r = run_grad("MaxPoolGrad", {make_f32({1, 1, 1, 2}, {5, 7}), make_f32({1, 1, 1, 4}, {2, 2, 1, 3})},
                    {{"kernel_shape", Attribute::make_ints({1, 3})}, {"strides", Attribute::make_ints({1, 1})}});
  EXPECT_EQ(ok_values(r), (std::vector<float>{5, 0, 0, 7}));
  expect_error(run_grad("MaxPoolGrad", {make_f32({1, 1, 1, 3}, {5, 7, 1}), make_f32({1, 1, 1, 4}, {2, 2, 1, 3})},
                        {{"kernel_shape", Attribute::make_ints({1, 3})}}),
               "is not the pooled shape");
  expect_error(run_grad("MaxPoolGrad", {make_f32({1, 1, 1, 2}, {5, 7}), make_f32({1, 1, 1, 4}, {2, 2, 1, 3})}),
               "kernel_shape");
}

TEST(GradOps, AveragePoolGradDividesByTheForwardCount) {
  Attrs a{{"kernel_shape", Attribute::make_ints({1, 2})}, {"pads", Attribute::make_ints({0, 1, 0, 0})},
          {"strides", Attribute::make_ints({1, 2})}};
  // Windows: {pad, x0} and {x1, x2}.
  auto r = run_grad("AveragePoolGrad", {make_f32({1, 1, 1, 2}, {4, 6}), make_f32({1, 1, 1, 3}, {0, 0, 0})}, a);
  EXPECT_EQ(ok_values(r), (std::vector<float>{4, 3, 3}));
  a["count_include_pad"] = Attribute::make_int(1);
  r = run_grad("AveragePoolGrad", {make_f32({1, 1, 1, 2}, {4, 6}), make_f32({1, 1, 1, 3}, {0, 0, 0})}, a);
  EXPECT_EQ(ok_values(r), (std::vector<float>{2, 3, 3}));
}

TEST(GradOps, GatherGradAccumulatesRepeatedIndices) {
  auto r = run_grad("GatherGrad", {make_f32({3, 2}, {1, 2, 3, 4, 5, 6}), make_i64({3}, {1, -1, 1}),
                                   make_f32({3, 2}, std::vector<float>(6, 0))});
  EXPECT_EQ(ok_values(r), (std::vector<float>{0, 0, 6, 8, 3, 4}));
  auto out = run_grad("GatherGrad", {make_f32({1, 2}, {1, 2}), make_i64({1}, {3}), make_f32({3, 2}, std::vector<float>(6, 0))});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("out of range"), std::string::npos);
  expect_error(run_grad("GatherGrad", {make_f32({2, 2}, {1, 2, 3, 4}), make_i64({1}, {0}), make_f32({3, 2}, std::vector<float>(6, 0))}),
               "is not the Gather output shape");
}

TEST(GradOps, SliceGradWritesBackWithNegativeSteps) {
  // x[4:0:-2] of 5 values reads positions 4 and 2.
  auto r = run_grad("SliceGrad", {make_f32({2}, {7, 9}), make_f32({5}, std::vector<float>(5, 0)), make_i64({1}, {-1}),
                                  make_i64({1}, {0}), make_i64({1}, {0}), make_i64({1}, {-2})});
  EXPECT_EQ(ok_values(r), (std::vector<float>{0, 0, 9, 0, 7}));
  expect_error(run_grad("SliceGrad", {make_f32({3}, {7, 9, 1}), make_f32({5}, std::vector<float>(5, 0)), make_i64({1}, {-1}),
                                      make_i64({1}, {0}), make_i64({1}, {0}), make_i64({1}, {-2})}),
               "is not the Slice output shape");
  expect_error(run_grad("SliceGrad", {make_f32({2}, {7, 9}), make_f32({5}, std::vector<float>(5, 0)), make_i64({1}, {0}),
                                      make_i64({1}, {2}), make_i64({1}, {0}), make_i64({1}, {0})}),
               "steps must not be 0");
}

TEST(GradOps, LayerNormalizationGradSavedOrRecomputedStatistics) {
  Tensor dy = make_f32({2, 3}, {0.5f, -1, 2, 1, 0.25f, -0.5f}), x = make_f32({2, 3}, {1, 2, 4, -1, 0, 3});
  Tensor scale = make_f32({3}, {1, 2, 0.5f});
  auto recomputed = run_grad("LayerNormalizationGrad", {dy, x, scale}, {}, 3);
  // The forward's statistics for the same rows.
  auto fwd = test::run_node("LayerNormalization", {x, scale}, {}, 3, 17);
  ASSERT_TRUE(fwd.is_ok()) << fwd.status().to_string();
  auto saved = run_grad("LayerNormalizationGrad", {dy, x, scale, (*fwd)[1], (*fwd)[2]}, {}, 3);
  for (size_t i = 0; i < 3; ++i) {
    std::vector<float> a = ok_values(recomputed, i), b = ok_values(saved, i);
    ASSERT_EQ(a.size(), b.size());
    for (size_t k = 0; k < a.size(); ++k) EXPECT_NEAR(a[k], b[k], 1e-5f);
  }
  EXPECT_EQ(ok_values(recomputed, 2), (std::vector<float>{1.5f, -0.75f, 1.5f}));  // dbias: column sums
  std::vector<float> dx = ok_values(recomputed, 0);  // each row of dX sums to zero
  EXPECT_NEAR(dx[0] + dx[1] + dx[2], 0.0f, 1e-5f);
  expect_error(run_grad("LayerNormalizationGrad", {dy, x, scale, make_f32({3}, {0, 0, 0}), make_f32({3}, {1, 1, 1})}, {}, 3),
               "one value per row");
  expect_error(run_grad("LayerNormalizationGrad", {dy, x, make_f32({2}, {1, 1})}, {}, 3), "does not broadcast");
}

}  // namespace
}  // namespace ew
