#include "quant/evaluate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "quant/calibration_source.h"
#include "test_util.h"

namespace ew::quant {
namespace {

TEST(EvaluateTest, Top1PerRow) {
  auto top = top1_classes(test::make_f32({2, 3}, {0.1f, 0.7f, 0.2f, 5, -1, 4}));
  ASSERT_TRUE(top.is_ok());
  EXPECT_EQ(*top, (std::vector<int>{1, 0}));
  EXPECT_FALSE(top1_classes(test::make<int64_t>({2}, {1, 2})).is_ok());
}

TEST(EvaluateTest, ComparerByHand) {
  OutputComparer c;
  ASSERT_TRUE(c.add(test::make_f32({1, 3}, {1, 2, 3}), test::make_f32({1, 3}, {1, 2, 3})).is_ok());
  ASSERT_TRUE(c.add(test::make_f32({1, 3}, {3, 2, 1}), test::make_f32({1, 3}, {1, 2, 3})).is_ok());
  OutputComparison r = c.result();
  EXPECT_EQ(r.count, 2);
  EXPECT_DOUBLE_EQ(r.agreement, 0.5);
  // KL(softmax(3,2,1) || softmax(1,2,3)) = Σ p·(x − y) since both log-sum-exps are equal.
  double z = std::exp(3.0) + std::exp(2.0) + std::exp(1.0);
  double kl = (std::exp(3.0) * 2 + std::exp(1.0) * -2) / z;
  EXPECT_NEAR(r.mean_kl, kl / 2, 1e-9);
  EXPECT_NEAR(r.sqnr_db, 10 * std::log10(28.0 / 8.0), 1e-9);
  EXPECT_DOUBLE_EQ(r.max_abs_diff, 2.0);
  EXPECT_FALSE(c.add(test::make_f32({1, 3}, {1, 2, 3}), test::make_f32({3}, {1, 2, 3})).is_ok());
}

std::unique_ptr<Session> shared_session(const std::string& name) {
  auto s = Session::load(test::shared_models_dir() + "/" + name + "/model.onnx");
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  return s.is_ok() ? std::move(s).value() : nullptr;
}

TEST(EvaluateTest, CompareOutputsOfOneModelWithItself) {
  EW_REQUIRE_SHARED_MODELS();
  auto a = shared_session("fashion_mbnet");
  SessionOptions ref;
  ref.use_backends = false;
  ref.fast_kernels = false;
  auto b = Session::load(test::shared_models_dir() + "/fashion_mbnet/model.onnx", ref);
  ASSERT_TRUE(a && b.is_ok());
  auto src = open_calibration_source(test::shared_models_dir() + "/fashion_mbnet", a->model(), 0);
  ASSERT_TRUE(src.is_ok()) << src.status().to_string();
  auto r = compare_outputs(**b, *a, **src);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_GE(r->count, 1);
  EXPECT_EQ(r->agreement, 1.0);
  EXPECT_LT(r->mean_kl, 1e-6);
  EXPECT_GT(r->sqnr_db, 60.0);  // reference vs fast kernels: float rounding only
}

TEST(EvaluateTest, FashionMbnetAccuracyOnAFewTestImages) {
  EW_REQUIRE_SHARED_MODELS();
  if (!std::filesystem::exists(kFashionMnistDir)) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  auto model = shared_session("fashion_mbnet");
  ASSERT_TRUE(model);
  auto data = load_fashion_mnist("test", 250);
  ASSERT_TRUE(data.is_ok()) << data.status().to_string();
  int batches = 0;
  EvalOptions o;
  o.progress = [&](int, int total) {
    ++batches;
    EXPECT_EQ(total, 250);
  };
  auto m = evaluate_classifier(*model, model.get(), *data, 100, o);
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(batches, 3);  // 100 + 100 + 50
  EXPECT_EQ(m->count, 250);
  EXPECT_GT(m->top1, 0.85);
  EXPECT_TRUE(m->compared);
  EXPECT_EQ(m->other_top1, m->top1);
  EXPECT_EQ(m->comparison.agreement, 1.0);
}

}  // namespace
}  // namespace ew::quant
