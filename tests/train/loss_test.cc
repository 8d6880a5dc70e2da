// The distillation loss and its gradient against values computed here by hand
// from the formula L = α·CE(y, s) + β·T²·KL(softmax(t/T) || softmax(s/T)) + γ·Σθ²,
// dL/ds = α·(softmax(s) − onehot(y)) + β·T·(softmax(s/T) − softmax(t/T)), dL/dθ ∋ 2γθ.
#include "train/loss.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ir/graph_builder.h"
#include "train/gradients.h"

namespace ew::train {
namespace {

std::vector<double> softmax(const std::vector<double>& z, double t) {
  double m = z[0], sum = 0;
  for (double v : z) m = std::max(m, v);
  std::vector<double> p;
  for (double v : z) sum += std::exp((v - m) / t);
  for (double v : z) p.push_back(std::exp((v - m) / t) / sum);
  return p;
}

// s = x + b over one sample of three classes, so dL/db = dL/ds.
Model biased_logits(const std::vector<float>& bias) {
  GraphBuilder g("g");
  std::string x = g.input("x", DType::kFloat32, {Dim(1), Dim(3)});
  g.output(g.node("Add", {x, g.constant("b", Tensor::from_vector<float>({3}, bias).value())}));
  return g.build().value();
}

struct Case {
  double alpha, beta, gamma, temperature;
};

void expect_distill_loss(const Case& c) {
  const std::vector<float> x{1.0f, 2.0f, -0.5f}, bias{0.2f, -0.1f, 0.3f}, teacher{0.5f, 0.4f, 2.0f};
  const int64_t label = 1;
  LossSpec spec;
  spec.kind = "distill";
  spec.alpha = static_cast<float>(c.alpha);
  spec.beta = static_cast<float>(c.beta);
  spec.gamma = static_cast<float>(c.gamma);
  spec.temperature = static_cast<float>(c.temperature);
  TrainingGraphOptions o;
  o.loss = spec;
  auto r = compute_gradients(biased_logits(bias),
                             {{"x", Tensor::from_vector<float>({1, 3}, x).value()},
                              {kTeacherInput, Tensor::from_vector<float>({1, 3}, teacher).value()}},
                             Tensor::from_vector<int64_t>({1}, {label}).value(), o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();

  std::vector<double> s(3), t(teacher.begin(), teacher.end());
  double norm = 0;
  for (int k = 0; k < 3; ++k) {
    s[k] = x[k] + bias[k];
    norm += double(bias[k]) * bias[k];
  }
  const double T = c.temperature;
  const std::vector<double> p = softmax(s, 1), ps = softmax(s, T), pt = softmax(t, T);
  double kl = 0;
  for (int k = 0; k < 3; ++k) kl += pt[k] * (std::log(pt[k]) - std::log(ps[k]));
  const double loss = -c.alpha * std::log(p[label]) + c.beta * T * T * kl + c.gamma * norm;
  EXPECT_NEAR(r->loss, loss, 1e-5 * std::max(1.0, std::fabs(loss)));
  ASSERT_EQ(r->gradients.size(), 1u);
  const Tensor& g = r->gradients[0].second;
  for (int k = 0; k < 3; ++k) {
    const double expected = c.alpha * (p[k] - (k == label)) + c.beta * T * (ps[k] - pt[k]) + 2 * c.gamma * bias[k];
    EXPECT_NEAR(g.data<float>()[k], expected, 1e-5) << "class " << k;
  }
}

TEST(DistillLoss, MatchesTheFormulaAndItsGradient) {
  expect_distill_loss({0.5, 0.5, 0.0, 4.0});
  expect_distill_loss({0.1, 0.9, 0.0, 2.0});
  expect_distill_loss({0.3, 0.7, 0.05, 1.0});
  expect_distill_loss({0.0, 1.0, 0.0, 3.0});  // pure distillation: no label term
  expect_distill_loss({1.0, 0.0, 0.01, 4.0});  // no teacher term
}

TEST(DistillLoss, RejectsBadWeights) {
  Model m = biased_logits({0, 0, 0});
  for (auto [a, b, g] : std::vector<std::tuple<float, float, float>>{{-1, 1, 0}, {0, 0, 0}, {0.5f, 0.5f, -1}}) {
    LossSpec spec;
    spec.kind = "distill";
    spec.alpha = a;
    spec.beta = b;
    spec.gamma = g;
    auto r = append_loss(m, spec);
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status().message().find("distillation weights"), std::string::npos) << r.status().to_string();
  }
  LossSpec hot;
  hot.kind = "distill";
  hot.temperature = 0;
  auto r = append_loss(m, hot);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("temperature"), std::string::npos);
}

}  // namespace
}  // namespace ew::train
