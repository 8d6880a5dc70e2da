#include "train/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace ew::train {
namespace {

Tensor f32(const std::vector<float>& v) { return Tensor::from_vector<float>({static_cast<int64_t>(v.size())}, v).value(); }

Parameter param(const std::string& name, const std::vector<float>& value) {
  return {name, f32(value), f32(std::vector<float>(value.size(), 0.0f))};
}

void set_grad(Parameter& p, const std::vector<double>& g) {
  for (size_t i = 0; i < g.size(); ++i) p.grad.data<float>()[i] = static_cast<float>(g[i]);
}

std::vector<double> values(const Tensor& t) {
  std::vector<double> out(t.numel());
  for (int64_t i = 0; i < t.numel(); ++i) out[i] = t.data<float>()[i];
  return out;
}

void expect_close(const Tensor& actual, const std::vector<double>& expected, const std::string& what) {
  ASSERT_EQ(actual.numel(), static_cast<int64_t>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(actual.data<float>()[i], expected[i], 2e-6 * std::max(1.0, std::fabs(expected[i])))
        << what << " element " << i;
}

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() && std::memcmp(a.raw(), b.raw(), a.nbytes()) == 0;
}

std::unique_ptr<Optimizer> make(const OptimizerOptions& o) {
  auto r = Optimizer::create(o);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return std::move(r).value();
}

// Gradients for step t (0-based) of a 3-element parameter: varied signs and sizes.
std::vector<double> grad_at(int t) { return {0.5 - 0.3 * t, -1.25 + 0.1 * t * t, 2.0 / (t + 1)}; }
const std::vector<float> kStart = {1.0f, -2.0f, 0.5f};

// Runs `steps` steps of `o` from kStart with grad_at(t) and learning rate lr.
Tensor run(const OptimizerOptions& o, int steps, double lr) {
  auto opt = make(o);
  std::vector<Parameter> ps = {param("w", kStart)};
  for (int t = 0; t < steps; ++t) {
    set_grad(ps[0], grad_at(t));
    EXPECT_TRUE(opt->step(ps, lr).is_ok());
  }
  return ps[0].value;
}

TEST(OptimizerSgd, PlainSgdWithL2MatchesTheFormula) {
  OptimizerOptions o{.kind = "sgd", .momentum = 0, .weight_decay = 0.1};
  std::vector<double> p(kStart.begin(), kStart.end());
  for (int t = 0; t < 3; ++t)
    for (size_t i = 0; i < p.size(); ++i) p[i] -= 0.05 * (grad_at(t)[i] + 0.1 * p[i]);
  expect_close(run(o, 3, 0.05), p, "sgd");
}

TEST(OptimizerSgd, MomentumAndNesterovMatchTheFormula) {
  for (bool nesterov : {false, true}) {
    OptimizerOptions o{.kind = "sgd", .momentum = 0.9, .nesterov = nesterov, .weight_decay = 0.01};
    std::vector<double> p(kStart.begin(), kStart.end()), buf(3);
    for (int t = 0; t < 4; ++t)
      for (size_t i = 0; i < p.size(); ++i) {
        const double g = grad_at(t)[i] + 0.01 * p[i];
        buf[i] = t == 0 ? g : 0.9 * buf[i] + g;
        p[i] -= 0.1 * (nesterov ? g + 0.9 * buf[i] : buf[i]);
      }
    expect_close(run(o, 4, 0.1), p, nesterov ? "nesterov" : "momentum");
  }
}

TEST(OptimizerSgd, NesterovDiffersFromPlainMomentum) {
  OptimizerOptions plain{.kind = "sgd", .momentum = 0.9};
  OptimizerOptions nesterov = plain;
  nesterov.nesterov = true;
  const std::vector<double> a = values(run(plain, 3, 0.1)), b = values(run(nesterov, 3, 0.1));
  double diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff = std::max(diff, std::fabs(a[i] - b[i]));
  EXPECT_GT(diff, 1e-2);
}

// Adam in double from the paper's formulas with PyTorch's epsilon placement.
std::vector<double> adam_reference(bool decoupled, double lr, double wd, int steps) {
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  std::vector<double> p(kStart.begin(), kStart.end()), m(3), v(3);
  for (int t = 1; t <= steps; ++t)
    for (size_t i = 0; i < p.size(); ++i) {
      double g = grad_at(t - 1)[i];
      if (decoupled) p[i] *= 1 - lr * wd;
      else g += wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const double m_hat = m[i] / (1 - std::pow(b1, t)), v_hat_sqrt = std::sqrt(v[i]) / std::sqrt(1 - std::pow(b2, t));
      p[i] -= lr * m_hat / (v_hat_sqrt + eps);
    }
  return p;
}

TEST(OptimizerAdam, AdamWithL2MatchesTheFormula) {
  OptimizerOptions o{.kind = "adam", .weight_decay = 0.1};
  expect_close(run(o, 5, 0.01), adam_reference(false, 0.01, 0.1, 5), "adam");
}

TEST(OptimizerAdam, AdamWMatchesTheFormula) {
  OptimizerOptions o{.kind = "adamw", .weight_decay = 0.1};
  expect_close(run(o, 5, 0.01), adam_reference(true, 0.01, 0.1, 5), "adamw");
}

TEST(OptimizerAdam, FirstStepMovesEachElementByLr) {
  // Bias correction makes the first Adam step lr * g / (|g| + eps') = lr * sign(g).
  OptimizerOptions o{.kind = "adam"};
  const std::vector<double> p = values(run(o, 1, 0.01));
  for (size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(p[i], kStart[i] - 0.01 * (grad_at(0)[i] > 0 ? 1 : -1), 1e-6);
}

TEST(OptimizerAdam, AdamWDiffersFromAdamWithL2) {
  const std::vector<double> a = values(run({.kind = "adam", .weight_decay = 0.5}, 5, 0.05));
  const std::vector<double> b = values(run({.kind = "adamw", .weight_decay = 0.5}, 5, 0.05));
  double diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff = std::max(diff, std::fabs(a[i] - b[i]));
  EXPECT_GT(diff, 1e-3);
}

TEST(OptimizerAdam, ANewParameterStartsItsOwnBiasCorrection) {
  auto opt = make({.kind = "adam"});
  std::vector<Parameter> ps = {param("a", {1.0f})};
  for (int t = 0; t < 3; ++t) {
    set_grad(ps[0], {0.5});
    ASSERT_TRUE(opt->step(ps, 0.01).is_ok());
  }
  ps.push_back(param("b", {2.0f}));
  set_grad(ps[1], {-3.0});
  ASSERT_TRUE(opt->step(ps, 0.01).is_ok());
  EXPECT_NEAR(ps[1].value.data<float>()[0], 2.01f, 1e-6);  // a first step: lr * sign(g)
  EXPECT_EQ(opt->steps(), 4);
  auto s = opt->state();
  EXPECT_EQ(s.at("step/a").data<int64_t>()[0], 4);
  EXPECT_EQ(s.at("step/b").data<int64_t>()[0], 1);
}

TEST(OptimizerConvergence, EveryKindMinimizesAQuadratic) {
  // f(p) = sum_i a_i (p_i - c_i)^2 / 2, minimum at c.
  const std::vector<double> a = {1.0, 4.0, 0.5, 2.0}, c = {3.0, -1.0, 0.25, 2.0};
  const std::pair<OptimizerOptions, double> cases[] = {
      {{.kind = "sgd", .momentum = 0}, 0.2},
      {{.kind = "sgd", .momentum = 0.9}, 0.05},
      {{.kind = "sgd", .momentum = 0.9, .nesterov = true}, 0.05},
      {{.kind = "adam"}, 0.05},
      {{.kind = "adamw", .weight_decay = 1e-4}, 0.05},
  };
  for (const auto& [o, lr] : cases) {
    auto opt = make(o);
    std::vector<Parameter> ps = {param("p", {0, 0, 0, 0})};
    for (int t = 0; t < 600; ++t) {
      std::vector<double> g(4);
      for (int i = 0; i < 4; ++i) g[i] = a[i] * (ps[0].value.data<float>()[i] - c[i]);
      set_grad(ps[0], g);
      ASSERT_TRUE(opt->step(ps, t < 400 ? lr : lr / 10).is_ok());
    }
    for (int i = 0; i < 4; ++i)
      EXPECT_NEAR(ps[0].value.data<float>()[i], c[i], 5e-3) << o.kind << " nesterov " << o.nesterov << " i " << i;
  }
}

TEST(OptimizerState, RoundTripContinuesBitIdentically) {
  const OptimizerOptions cases[] = {{.kind = "sgd", .momentum = 0.9, .nesterov = true, .weight_decay = 0.01},
                                    {.kind = "sgd", .momentum = 0},
                                    {.kind = "adam", .weight_decay = 0.01},
                                    {.kind = "adamw", .weight_decay = 0.1}};
  for (const OptimizerOptions& o : cases) {
    auto whole = make(o);
    std::vector<Parameter> a = {param("w", kStart), param("b", {0.25f, -0.75f})};
    auto first = make(o);
    std::vector<Parameter> b = {param("w", kStart), param("b", {0.25f, -0.75f})};
    std::map<std::string, Tensor> saved;
    std::map<std::string, Tensor> snapshot_copy;
    for (int t = 0; t < 10; ++t) {
      for (auto* ps : {&a, &b}) {
        set_grad((*ps)[0], grad_at(t));
        set_grad((*ps)[1], {0.1 * t, -0.2});
      }
      ASSERT_TRUE(whole->step(a, 1e-2).is_ok());
      if (t == 5) {
        saved = first->state();
        for (const auto& [k, v] : saved) snapshot_copy[k] = v.clone().value();
        first = make(o);  // a restart: a fresh optimizer, then its saved state
        ASSERT_TRUE(first->load_state(saved).is_ok());
        EXPECT_EQ(first->steps(), 5);
      }
      ASSERT_TRUE(first->step(b, 1e-2).is_ok());
    }
    EXPECT_EQ(whole->steps(), first->steps());
    for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(same_bits(a[i].value, b[i].value)) << o.kind << " " << a[i].name;
    const auto sa = whole->state(), sb = first->state();
    ASSERT_EQ(sa.size(), sb.size());
    for (const auto& [k, v] : sa) EXPECT_TRUE(same_bits(v, sb.at(k))) << o.kind << " " << k;
    // The snapshot taken at step 5 did not move with the later steps.
    for (const auto& [k, v] : saved) EXPECT_TRUE(same_bits(v, snapshot_copy.at(k))) << o.kind << " " << k;
  }
}

TEST(OptimizerState, StateIsASnapshotThatLaterStepsDoNotChange) {
  for (const char* kind : {"sgd", "adam"}) {
    auto opt = make({.kind = kind});
    std::vector<Parameter> ps = {param("w", kStart)};
    set_grad(ps[0], grad_at(0));
    ASSERT_TRUE(opt->step(ps, 0.1).is_ok());
    const auto snapshot = opt->state();
    std::map<std::string, Tensor> copy;
    for (const auto& [k, v] : snapshot) copy[k] = v.clone().value();
    for (int t = 1; t < 3; ++t) {
      set_grad(ps[0], grad_at(t));
      ASSERT_TRUE(opt->step(ps, 0.1).is_ok());
    }
    for (const auto& [k, v] : snapshot) EXPECT_TRUE(same_bits(v, copy.at(k))) << kind << " " << k;
    EXPECT_FALSE(same_bits(opt->state().begin()->second, copy.begin()->second)) << kind << " state did move";
  }
}

TEST(OptimizerState, StateNamesFollowTheDocumentedScheme) {
  auto sgd = make({.kind = "sgd", .momentum = 0.9});
  std::vector<Parameter> ps = {param("layer.w", {1, 2})};
  ASSERT_TRUE(sgd->step(ps, 0.1).is_ok());
  auto s = sgd->state();
  EXPECT_EQ(s.size(), 2u);
  EXPECT_TRUE(s.count("momentum/layer.w"));
  EXPECT_EQ(s.at("step").dtype(), DType::kInt64);
  auto adam = make({.kind = "adamw"});
  ASSERT_TRUE(adam->step(ps, 0.1).is_ok());
  s = adam->state();
  for (const char* k : {"step", "exp_avg/layer.w", "exp_avg_sq/layer.w", "step/layer.w"}) EXPECT_TRUE(s.count(k)) << k;
}

TEST(OptimizerState, LoadStateRejectsBadMapsAndKeepsTheOldState) {
  auto opt = make({.kind = "adam"});
  std::vector<Parameter> ps = {param("w", {1, 2, 3})};
  ASSERT_TRUE(opt->step(ps, 0.1).is_ok());
  const auto good = opt->state();
  auto expect_error = [&](std::map<std::string, Tensor> bad, const std::string& needle) {
    Status st = opt->load_state(bad);
    ASSERT_FALSE(st.is_ok()) << needle;
    EXPECT_NE(st.message().find(needle), std::string::npos) << st.message();
    EXPECT_EQ(opt->steps(), 1);
  };
  auto without = [&](const std::string& key) { auto m = good; m.erase(key); return m; };
  auto with = [&](const std::string& key, Tensor t) { auto m = good; m[key] = t; return m; };
  expect_error(without("step"), "'step'");
  expect_error(without("exp_avg_sq/w"), "exp_avg_sq/w");
  expect_error(without("step/w"), "step/w");
  expect_error(with("momentum/w", f32({0, 0, 0})), "momentum/w");
  expect_error(with("exp_avg/w", f32({0, 0})), "exp_avg/w");
  expect_error(with("exp_avg/w", Tensor::from_vector<double>({3}, {0, 0, 0}).value()), "float32");
  expect_error(with("step", Tensor::scalar<int64_t>(-1).value()), "negative");
  expect_error(with("step", f32({1})), "int64 scalar");
  auto sgd = make({.kind = "sgd", .momentum = 0});
  EXPECT_FALSE(sgd->load_state(good).is_ok());
}

TEST(OptimizerOptions, BadOptionsNameTheField) {
  auto expect_error = [](OptimizerOptions o, const std::string& field) {
    auto r = Optimizer::create(o);
    ASSERT_FALSE(r.is_ok()) << field;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(field), std::string::npos) << r.status().message();
  };
  expect_error({.kind = "rmsprop"}, "'kind'");
  expect_error({.kind = "adam", .beta1 = 1.0}, "'beta1'");
  expect_error({.kind = "adamw", .beta2 = -0.1}, "'beta2'");
  expect_error({.kind = "adam", .beta2 = NAN}, "'beta2'");
  expect_error({.kind = "adam", .epsilon = -1}, "'epsilon'");
  expect_error({.kind = "sgd", .momentum = -0.5}, "'momentum'");
  expect_error({.kind = "sgd", .momentum = 0, .nesterov = true}, "'nesterov'");
  expect_error({.kind = "adamw", .weight_decay = -1}, "'weight_decay'");
  EXPECT_TRUE(Optimizer::create({}).is_ok());
  EXPECT_TRUE(Optimizer::create({.kind = "sgd", .beta1 = 7}).is_ok()) << "sgd ignores Adam's fields";
}

TEST(OptimizerOptions, StepRejectsBadArgumentsWithoutChangingAnything) {
  auto opt = make({.kind = "sgd", .momentum = 0.9});
  std::vector<Parameter> ps = {param("w", {1, 2})};
  set_grad(ps[0], {1, 1});
  for (double lr : {0.0, -1e-3, static_cast<double>(NAN), static_cast<double>(INFINITY)}) {
    Status st = opt->step(ps, lr);
    ASSERT_FALSE(st.is_ok());
    EXPECT_NE(st.message().find("'lr'"), std::string::npos) << st.message();
  }
  std::vector<Parameter> bad = {param("w", {1, 2}), param("v", {1, 2, 3})};
  bad[1].grad = f32({1, 2});
  EXPECT_NE(opt->step(bad, 0.1).message().find("'v'"), std::string::npos);
  std::vector<Parameter> twice = {param("w", {1, 2}), param("w", {1, 2})};
  EXPECT_NE(opt->step(twice, 0.1).message().find("twice"), std::string::npos);
  std::vector<Parameter> ints = {{"i", Tensor::from_vector<int32_t>({1}, {1}).value(), f32({1})}};
  EXPECT_FALSE(opt->step(ints, 0.1).is_ok());
  EXPECT_EQ(opt->steps(), 0);
  EXPECT_EQ(values(bad[0].value), (std::vector<double>{1, 2})) << "a failed step moved a value";
  ASSERT_TRUE(opt->step(ps, 0.1).is_ok());
  std::vector<Parameter> reshaped = {{"w", f32({1, 2, 3}), f32({1, 2, 3})}};
  Status st = opt->step(reshaped, 0.1);
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("momentum buffer"), std::string::npos) << st.message();
}

TEST(OptimizerClip, ScalesToTheGlobalNorm) {
  std::vector<Parameter> ps = {param("a", {3, 0}), param("b", {0, 0, 4})};
  set_grad(ps[0], {3, 0});
  set_grad(ps[1], {0, 0, 4});
  auto norm = clip_grad_norm(ps, 1.0);
  ASSERT_TRUE(norm.is_ok());
  EXPECT_DOUBLE_EQ(*norm, 5.0);
  const double k = 1.0 / (5.0 + 1e-6);
  expect_close(ps[0].grad, {3 * k, 0}, "a");
  expect_close(ps[1].grad, {0, 0, 4 * k}, "b");
  auto after = clip_grad_norm(ps, 1.0);
  EXPECT_NEAR(*after, 1.0, 1e-6);
}

TEST(OptimizerClip, LeavesSmallNormsAndDisabledClippingAlone) {
  std::vector<Parameter> ps = {param("a", {0, 0})};
  set_grad(ps[0], {0.3, 0.4});
  EXPECT_NEAR(*clip_grad_norm(ps, 1.0), 0.5, 1e-7);
  EXPECT_NEAR(*clip_grad_norm(ps, 0.0), 0.5, 1e-7);
  EXPECT_NEAR(*clip_grad_norm(ps, -1.0), 0.5, 1e-7);
  expect_close(ps[0].grad, {0.3, 0.4}, "unchanged");
  set_grad(ps[0], {30, 40});
  EXPECT_NEAR(*clip_grad_norm(ps, 0.0), 50, 1e-5);
  expect_close(ps[0].grad, {30, 40}, "max_norm 0 does not clip");
  std::vector<Parameter> large = {param("big", std::vector<float>(1000, 0))};
  for (int i = 0; i < 1000; ++i) large[0].grad.data<float>()[i] = 1e19f;  // squares overflow float, not double
  EXPECT_NEAR(*clip_grad_norm(large, 0), 1e19 * std::sqrt(1000.0), 1e14);
}

TEST(OptimizerClip, ANonFiniteGradientIsReportedByName) {
  for (float bad : {NAN, INFINITY, -INFINITY}) {
    std::vector<Parameter> ps = {param("fine", {0, 0}), param("broken", {0, 0, 0}), param("also", {0})};
    set_grad(ps[0], {1, 2});
    set_grad(ps[1], {1, 2, 3});
    ps[1].grad.data<float>()[2] = bad;
    ps[2].grad.data<float>()[0] = NAN;
    auto r = clip_grad_norm(ps, 1.0);
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status().message().find("'broken'"), std::string::npos) << r.status().message();
    expect_close(ps[0].grad, {1, 2}, "no gradient changes on error");
  }
}

}  // namespace
}  // namespace ew::train
