// BatchNormTraining and BatchNormTrainingGrad against hand computations.
#include <gtest/gtest.h>

#include <cmath>

#include "ops/grad/grad_domain.h"
#include "test_util.h"

namespace ew {
namespace {

using test::make_f32;
using test::values_f32;

Result<std::vector<Tensor>> run_grad_op(const std::string& op, const std::vector<Tensor>& in,
                                        const std::map<std::string, Attribute>& attrs, int outputs) {
  return test::run_node(op, in, attrs, outputs, 1, kGradDomain);
}

void expect_near(const std::vector<float>& a, const std::vector<double>& b, double tol = 1e-5) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], tol) << "at " << i;
}

TEST(GradOps, BatchNormTrainingStatisticsAndRunningUpdate) {
  // X [N=2, C=2, 1, 2]: channel 0 holds {1, 3, 5, 7}, channel 1 {2, 4, 0, -6}.
  Tensor x = make_f32({2, 2, 1, 2}, {1, 3, 2, 4, 5, 7, 0, -6});
  auto out = run_grad_op("BatchNormTraining",
                         {x, make_f32({2}, {2, 0.5f}), make_f32({2}, {0.1f, -1}), make_f32({2}, {0.5f, -1}),
                          make_f32({2}, {1, 2})},
                         {{"epsilon", Attribute::make_float(0.01f)}, {"momentum", Attribute::make_float(0.8f)}}, 5);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  const double mean[2] = {4, 0}, unbiased[2] = {20.0 / 3, 56.0 / 3};
  const double inv[2] = {1 / std::sqrt(5.01), 1 / std::sqrt(14.01)};
  const double scale[2] = {2, 0.5}, bias[2] = {0.1, -1};
  std::vector<double> y;
  const float xv[8] = {1, 3, 2, 4, 5, 7, 0, -6};
  for (int i = 0; i < 8; ++i) {
    const int c = i / 2 % 2;
    y.push_back(scale[c] * (xv[i] - mean[c]) * inv[c] + bias[c]);
  }
  expect_near(values_f32((*out)[0]), y);
  expect_near(values_f32((*out)[1]), {0.8 * 0.5 + 0.2 * mean[0], 0.8 * -1 + 0.2 * mean[1]});
  expect_near(values_f32((*out)[2]), {0.8 * 1 + 0.2 * unbiased[0], 0.8 * 2 + 0.2 * unbiased[1]});
  expect_near(values_f32((*out)[3]), {mean[0], mean[1]});
  expect_near(values_f32((*out)[4]), {inv[0], inv[1]});
}

TEST(GradOps, BatchNormTrainingDefaultsOnFlatInput) {
  // [N=4, C=1]: mean 2.5, biased var 1.25, unbiased 5/3; momentum 0.9, epsilon 1e-5.
  auto out = run_grad_op("BatchNormTraining",
                         {make_f32({4, 1}, {1, 2, 3, 4}), make_f32({1}, {1}), make_f32({1}, {0}), make_f32({1}, {1}),
                          make_f32({1}, {1})},
                         {}, 5);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  const double inv = 1 / std::sqrt(1.25 + 1e-5);
  expect_near(values_f32((*out)[0]), {-1.5 * inv, -0.5 * inv, 0.5 * inv, 1.5 * inv});
  expect_near(values_f32((*out)[1]), {0.9 + 0.1 * 2.5});
  expect_near(values_f32((*out)[2]), {0.9 + 0.1 * 5.0 / 3});
}

TEST(GradOps, BatchNormTrainingOptionalOutputs) {
  auto out = run_grad_op("BatchNormTraining",
                         {make_f32({2, 1}, {1, 3}), make_f32({1}, {1}), make_f32({1}, {0}), make_f32({1}, {0}),
                          make_f32({1}, {1})},
                         {{"epsilon", Attribute::make_float(0.0f)}}, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  expect_near(values_f32((*out)[0]), {-1, 1});
}

TEST(GradOps, BatchNormTrainingGradSumsAndProjections) {
  // One channel, m = 4: x̂ = (x - 2.5) · inv.
  const std::vector<float> xs{1, 2, 3, 4}, dy{0.5f, -1, 2, 0.25f};
  const double inv = 1 / std::sqrt(1.25 + 1e-5), scale = 1.5;
  auto out = run_grad_op("BatchNormTrainingGrad",
                         {make_f32({4, 1}, dy), make_f32({4, 1}, xs), make_f32({1}, {1.5f}), make_f32({1}, {2.5f}),
                          make_f32({1}, {static_cast<float>(inv)})},
                         {}, 3);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  double db = 0, ds = 0;
  for (int i = 0; i < 4; ++i) db += dy[i], ds += dy[i] * (xs[i] - 2.5) * inv;
  expect_near(values_f32((*out)[2]), {db});
  expect_near(values_f32((*out)[1]), {ds});
  std::vector<double> dx;
  for (int i = 0; i < 4; ++i) dx.push_back(scale * inv / 4 * (4 * dy[i] - db - (xs[i] - 2.5) * inv * ds));
  expect_near(values_f32((*out)[0]), dx);
}

TEST(GradOps, BatchNormTrainingRejectsBadShapes) {
  auto p = [](std::vector<float> v) { return make_f32({static_cast<int64_t>(v.size())}, v); };
  auto bad_param = run_grad_op("BatchNormTraining", {make_f32({2, 2}, {1, 2, 3, 4}), p({1, 1, 1}), p({0, 0}), p({0, 0}), p({1, 1})},
                               {}, 5);
  ASSERT_FALSE(bad_param.is_ok());
  EXPECT_NE(bad_param.status().message().find("expected C = 2"), std::string::npos) << bad_param.status().to_string();
  auto flat = run_grad_op("BatchNormTraining", {p({1, 2}), p({1}), p({0}), p({0}), p({1})}, {}, 5);
  EXPECT_FALSE(flat.is_ok());
  auto single = run_grad_op("BatchNormTraining", {make_f32({1, 2}, {1, 2}), p({1, 1}), p({0, 0}), p({0, 0}), p({1, 1})}, {}, 5);
  ASSERT_FALSE(single.is_ok());
  EXPECT_NE(single.status().message().find("more than one value"), std::string::npos) << single.status().to_string();
  auto grad = run_grad_op("BatchNormTrainingGrad",
                          {make_f32({2, 2}, {1, 2, 3, 4}), make_f32({2, 1}, {1, 2}), p({1}), p({0}), p({1})}, {}, 3);
  EXPECT_FALSE(grad.is_ok());
}

}  // namespace
}  // namespace ew
