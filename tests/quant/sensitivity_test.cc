#include "quant/sensitivity.h"

#include <cmath>

#include "quant/mixed_precision.h"
#include "quant/preprocess.h"
#include "quant/qdq_quantizer.h"
#include "quant_model_test_util.h"

namespace ew {
namespace {

struct TinyBert {
  Model model;
  std::unique_ptr<quant::CalibrationSource> data;
};

TinyBert tiny_bert() {
  TinyBert t{test::load_shared("tiny_bert_op17_random"), nullptr};
  EXPECT_TRUE(quant::preprocess(t.model).is_ok());
  auto src = quant::open_calibration_source(test::shared_models_dir() + "/tiny_bert_op17_random", t.model, 0);
  EXPECT_TRUE(src.is_ok()) << src.status().to_string();
  if (src.is_ok()) t.data = std::move(src).value();
  return t;
}

TEST(Sensitivity, DynamicTinyBertMeasuresEveryLayerAtFourAndEightBits) {
  EW_REQUIRE_SHARED_MODELS();
  TinyBert t = tiny_bert();
  ASSERT_TRUE(t.data);
  const auto layers = quant::quantizable_layers(t.model, quant::QuantMode::kDynamic);
  ASSERT_GE(layers.size(), 8u);
  quant::SensitivityOptions so;
  so.samples = 1;
  int calls = 0;
  so.progress = [&](int, int) { ++calls; };
  auto r = quant::analyze_sensitivity(t.model, test::dynamic_options(), {}, *t.data, so);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->layers.size(), 2 * layers.size());
  EXPECT_EQ(calls, static_cast<int>(r->layers.size()));
  for (size_t i = 1; i < r->layers.size(); ++i) EXPECT_LE(r->layers[i - 1].output.sqnr_db, r->layers[i].output.sqnr_db);
  // One layer at 4 bits hurts more than the same layer at 8 bits.
  std::map<std::string, std::map<int, double>> sqnr;
  for (const auto& l : r->layers) sqnr[l.node][l.bits] = l.output.sqnr_db;
  int worse = 0;
  for (const auto& [node, by_bits] : sqnr) worse += by_bits.at(4) < by_bits.at(8);
  EXPECT_GE(worse, static_cast<int>(layers.size()) - 1);
  ASSERT_EQ(r->full.size(), layers.size());
  for (const auto& e : r->full) {
    EXPECT_GT(e.weight_sqnr_db, 30.0) << e.node;
    EXPECT_FALSE(std::isnan(e.activation_sqnr_db)) << e.node;
  }
  EXPECT_GT(r->full_output.sqnr_db, 10.0);
}

TEST(MixedPrecision, SizeBudgetIsMetByBothMethods) {
  EW_REQUIRE_SHARED_MODELS();
  TinyBert t = tiny_bert();
  ASSERT_TRUE(t.data);
  const int64_t float_bytes = quant::serialized_bytes(t.model).value();
  std::map<std::string, int64_t> unique;  // the two encoder blocks share their weights
  for (const auto& l : quant::quantizable_layers(t.model, quant::QuantMode::kDynamic)) unique[l.weight] = l.params * 4;
  int64_t weights = 0;
  for (const auto& [w, bytes] : unique) weights += bytes;
  quant::MixedPrecisionOptions mo;
  mo.size_budget_bytes = float_bytes - weights / 2;  // room for roughly half the weights in float
  mo.measure.samples = 1;
  auto r = quant::choose_mixed_precision(t.model, test::dynamic_options(), {}, *t.data, nullptr, mo);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  for (const quant::MixedChoice* c : {&r->rule, &r->greedy}) {
    EXPECT_LE(c->bytes, mo.size_budget_bytes) << c->method;
    EXPECT_TRUE(c->meets_budget) << c->method;
    int kept_float = 0, quantized = 0;
    for (const auto& [layer, bits] : c->bits) {
      EXPECT_TRUE(bits == 4 || bits == 8 || bits == 32) << layer;
      kept_float += bits == 32;
      quantized += bits < 32;
    }
    EXPECT_GT(quantized, 0) << c->method;
    EXPECT_GT(c->output.sqnr_db, 5.0) << c->method;
  }
}

TEST(MixedPrecision, NeedsABudget) {
  EW_REQUIRE_SHARED_MODELS();
  TinyBert t = tiny_bert();
  ASSERT_TRUE(t.data);
  EXPECT_FALSE(quant::choose_mixed_precision(t.model, test::dynamic_options(), {}, *t.data, nullptr, {}).is_ok());
}

}  // namespace
}  // namespace ew
