// Variant selection: constraints, normalisation, ranking, explanations, errors.
#include "device/variant_selection.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ew {
namespace {

VariantMetrics variant(const std::string& name, double latency_ms, double energy_mj, int64_t memory_bytes,
                       int64_t file_bytes, std::optional<double> accuracy = std::nullopt) {
  VariantMetrics m;
  m.name = name;
  m.latency_ms = latency_ms;
  m.energy_mj = energy_mj;
  m.param_bytes = memory_bytes / 2;
  m.arena_bytes = memory_bytes - memory_bytes / 2;
  m.file_bytes = file_bytes;
  m.accuracy = accuracy;
  return m;
}

// fp32: slow, big, most accurate; int8: fast, small, slightly less accurate; tiny: fastest, inaccurate.
std::vector<VariantMetrics> three() {
  return {variant("fp32.onnx", 2.0, 4.0, 8 << 20, 4000, 0.90), variant("int8.onnx", 1.0, 2.0, 2 << 20, 1000, 0.89),
          variant("tiny.onnx", 0.5, 1.0, 1 << 20, 500, 0.60)};
}

TEST(VariantSelectionTest, TermsAreNormalisedByTheBestKeptVariant) {
  auto s = select_variant(three(), {}, {1, 1, 1, 1});
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  const VariantVerdict& fp32 = s->variants[0];
  EXPECT_DOUBLE_EQ(fp32.latency.best, 0.5);
  EXPECT_DOUBLE_EQ(fp32.latency.normalized, 4.0);
  EXPECT_DOUBLE_EQ(fp32.energy.normalized, 4.0);
  EXPECT_DOUBLE_EQ(fp32.bandwidth.normalized, 8.0);
  EXPECT_NEAR(fp32.cost.normalized, 1.0, 1e-12);  // the lowest error: 0.10
  EXPECT_NEAR(fp32.score, 17.0, 1e-9);
  const VariantVerdict& tiny = s->variants[2];
  EXPECT_NEAR(tiny.cost.normalized, 4.0, 1e-9);  // error 0.40 / 0.10
  EXPECT_NEAR(tiny.score, 7.0, 1e-9);
  const VariantVerdict& int8 = s->variants[1];
  EXPECT_NEAR(int8.score, 2 + 2 + 2 + 1.1, 1e-9);
  ASSERT_EQ(s->ranking.size(), 3u);
  EXPECT_EQ(s->chosen()->metrics.name, "tiny.onnx");
  EXPECT_EQ(int8.rank, 2);
  EXPECT_EQ(fp32.rank, 3);
}

TEST(VariantSelectionTest, WeightsShiftTheChoice) {
  auto s = select_variant(three(), {}, {0, 0, 0, 1});  // accuracy only
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s->chosen()->metrics.name, "fp32.onnx");
  auto t = select_variant(three(), {}, {1, 1, 1, 10});  // accuracy matters a lot
  ASSERT_TRUE(t.is_ok());
  EXPECT_EQ(t->chosen()->metrics.name, "int8.onnx");
}

TEST(VariantSelectionTest, ConstraintsRejectAndNameTheRule) {
  SelectionConstraints c;
  c.min_accuracy = 0.85;
  c.max_latency_ms = 1.5;
  c.device = "tiny_board";
  c.device_memory_bytes = 4 << 20;
  auto s = select_variant(three(), c, {});
  ASSERT_TRUE(s.is_ok());
  const VariantVerdict& fp32 = s->variants[0];
  ASSERT_EQ(fp32.violations.size(), 2u);
  EXPECT_NE(fp32.violations[0].find("--max-latency-ms"), std::string::npos);
  EXPECT_NE(fp32.violations[1].find("does not fit"), std::string::npos);
  EXPECT_NE(fp32.violations[1].find("tiny_board"), std::string::npos);
  EXPECT_NE(s->variants[2].violations[0].find("--min-accuracy"), std::string::npos);
  EXPECT_EQ(fp32.rank, 0);
  ASSERT_NE(s->chosen(), nullptr);
  EXPECT_EQ(s->chosen()->metrics.name, "int8.onnx");
  // Best values come from kept variants only: int8 alone is the best at everything.
  EXPECT_DOUBLE_EQ(s->chosen()->score, 4.0);
}

TEST(VariantSelectionTest, EveryVariantRejectedChoosesNone) {
  SelectionConstraints c;
  c.max_energy_mj = 0.1;
  c.max_memory_mib = 0.5;
  auto s = select_variant(three(), c, {});
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s->chosen(), nullptr);
  EXPECT_TRUE(s->ranking.empty());
  EXPECT_NE(explain_selection(*s).find("none"), std::string::npos);
  EXPECT_TRUE(to_json(*s)["selected"].is_null());
}

TEST(VariantSelectionTest, WithoutAccuraciesTheCostTermIsLeftOut) {
  std::vector<VariantMetrics> v = three();
  for (auto& m : v) m.accuracy.reset();
  auto s = select_variant(v, {}, {1, 1, 1, 1});
  ASSERT_TRUE(s.is_ok());
  EXPECT_FALSE(s->cost_used);
  EXPECT_FALSE(s->variants[0].cost.used);
  EXPECT_DOUBLE_EQ(s->variants[2].score, 3.0);
  EXPECT_NE(explain_selection(*s).find("left out"), std::string::npos);
}

TEST(VariantSelectionTest, PerfectAccuracyUsesTheErrorFloor) {
  std::vector<VariantMetrics> v = {variant("a", 1, 1, 1, 1, 1.0), variant("b", 1, 1, 1, 1, 0.99)};
  auto s = select_variant(v, {}, {1, 1, 1, 1});
  ASSERT_TRUE(s.is_ok());
  EXPECT_DOUBLE_EQ(s->variants[0].cost.normalized, 1.0);
  EXPECT_NEAR(s->variants[1].cost.normalized, 100.0, 1e-6);  // 0.01 / 1e-4
  EXPECT_EQ(s->chosen()->metrics.name, "a");
}

TEST(VariantSelectionTest, BadInputIsAnError) {
  EXPECT_FALSE(select_variant({}, {}, {}).is_ok());
  std::vector<VariantMetrics> partial = three();
  partial[1].accuracy.reset();
  auto p = select_variant(partial, {}, {});
  ASSERT_FALSE(p.is_ok());
  EXPECT_NE(p.status().message().find("2 of 3"), std::string::npos);
  std::vector<VariantMetrics> percent = three();
  percent[0].accuracy = 91.0;
  EXPECT_FALSE(select_variant(percent, {}, {}).is_ok());
  std::vector<VariantMetrics> none = three();
  for (auto& m : none) m.accuracy.reset();
  SelectionConstraints c;
  c.min_accuracy = 0.5;
  EXPECT_FALSE(select_variant(none, c, {}).is_ok());
}

TEST(VariantSelectionTest, ParseWeights) {
  auto w = parse_weights("1,0.5,0,2");
  ASSERT_TRUE(w.is_ok());
  EXPECT_DOUBLE_EQ(w->energy, 0.5);
  EXPECT_DOUBLE_EQ(w->cost, 2);
  for (const char* bad : {"1,1,1", "1,1,1,1,1", "1,-1,1,1", "a,1,1,1", "0,0,0,0", "1,,1,1", "", "nan,1,1,1"}) {
    auto r = parse_weights(bad);
    EXPECT_FALSE(r.is_ok()) << bad;
    if (!r.is_ok()) {
      EXPECT_NE(r.status().message().find("--weights"), std::string::npos);
    }
  }
}

TEST(VariantSelectionTest, ExplainAndJsonShowTheBreakdown) {
  SelectionConstraints c;
  c.min_accuracy = 0.85;
  auto s = select_variant(three(), c, {1, 1, 1, 1});
  ASSERT_TRUE(s.is_ok());
  const std::string text = explain_selection(*s);
  EXPECT_NE(text.find("REJECTED   accuracy 0.6000 < --min-accuracy 0.85"), std::string::npos) << text;
  EXPECT_NE(text.find("rank 1, score"), std::string::npos);
  EXPECT_NE(text.find("selected   int8.onnx"), std::string::npos);
  nlohmann::json j = to_json(*s);
  EXPECT_EQ(j["selected"], "int8.onnx");
  EXPECT_EQ(j["variants"].size(), 3u);
  EXPECT_EQ(j["variants"][2]["kept"], false);
  EXPECT_DOUBLE_EQ(j["variants"][1]["terms"]["latency"]["normalized"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j["variants"][0]["terms"]["bandwidth"]["normalized"].get<double>(), 4.0);
}

}  // namespace
}  // namespace ew
