#include "train/lr_schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace ew::train {
namespace {

LrSchedule make(const LrScheduleOptions& o) {
  auto r = LrSchedule::create(o);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return std::move(r).value();
}

TEST(LrSchedule, ConstantIsConstant) {
  auto s = make({.kind = "constant", .base_lr = 0.01});
  for (int64_t t : {-5, 0, 1, 1000000}) EXPECT_DOUBLE_EQ(s.lr(t), 0.01);
}

TEST(LrSchedule, StepDecaysByGammaEveryStepSize) {
  auto s = make({.kind = "step", .base_lr = 0.1, .step_size = 10, .gamma = 0.5});
  EXPECT_DOUBLE_EQ(s.lr(0), 0.1);
  EXPECT_DOUBLE_EQ(s.lr(9), 0.1);
  EXPECT_DOUBLE_EQ(s.lr(10), 0.05);
  EXPECT_DOUBLE_EQ(s.lr(19), 0.05);
  EXPECT_DOUBLE_EQ(s.lr(20), 0.025);
  EXPECT_DOUBLE_EQ(s.lr(35), 0.1 * 0.125);
}

TEST(LrSchedule, CosineAnnealsToFinalLr) {
  auto s = make({.kind = "cosine", .base_lr = 1.0, .total_steps = 100, .final_lr = 0.1});
  EXPECT_DOUBLE_EQ(s.lr(0), 1.0);
  EXPECT_NEAR(s.lr(50), 0.55, 1e-12);
  EXPECT_NEAR(s.lr(25), 0.1 + 0.9 * (1 + std::cos(std::numbers::pi / 4)) / 2, 1e-12);
  EXPECT_NEAR(s.lr(100), 0.1, 1e-12);
  EXPECT_NEAR(s.lr(500), 0.1, 1e-12) << "stays at final_lr past total_steps";
  for (int64_t t = 1; t <= 100; ++t) EXPECT_LE(s.lr(t), s.lr(t - 1)) << t;
}

TEST(LrSchedule, OneCycleFollowsPyTorch) {
  // OneCycleLR(max_lr=1, total_steps=100, pct_start=0.3, div_factor=25, final_div_factor=1e4):
  // the peak is at step 29, the end at step 99.
  auto s = make({.kind = "onecycle", .base_lr = 1e-3, .total_steps = 100, .max_lr = 1.0});
  const double start = 1.0 / 25, end = start / 1e4;
  EXPECT_NEAR(s.lr(0), start, 1e-12);
  EXPECT_NEAR(s.lr(29), 1.0, 1e-12);
  EXPECT_NEAR(s.lr(99), end, 1e-12);
  EXPECT_NEAR(s.lr(150), end, 1e-12);
  auto anneal = [](double a, double b, double pct) { return b + (a - b) / 2 * (std::cos(std::numbers::pi * pct) + 1); };
  EXPECT_NEAR(s.lr(10), anneal(start, 1.0, 10.0 / 29), 1e-12);
  EXPECT_NEAR(s.lr(60), anneal(1.0, end, (60 - 29.0) / (99 - 29.0)), 1e-12);
  for (int64_t t = 1; t <= 29; ++t) EXPECT_GT(s.lr(t), s.lr(t - 1)) << t;
  for (int64_t t = 30; t <= 99; ++t) EXPECT_LT(s.lr(t), s.lr(t - 1)) << t;
  // Without max_lr the peak is base_lr.
  auto b = make({.kind = "onecycle", .base_lr = 0.5, .total_steps = 100});
  EXPECT_NEAR(b.lr(29), 0.5, 1e-12);
}

TEST(LrSchedule, WarmupRampsLinearlyOnTopOfAnyKind) {
  auto c = make({.kind = "constant", .base_lr = 0.1, .warmup_steps = 4});
  EXPECT_DOUBLE_EQ(c.lr(0), 0.025);
  EXPECT_DOUBLE_EQ(c.lr(1), 0.05);
  EXPECT_DOUBLE_EQ(c.lr(3), 0.1);
  EXPECT_DOUBLE_EQ(c.lr(4), 0.1);
  auto cos = make({.kind = "cosine", .base_lr = 1.0, .total_steps = 100, .warmup_steps = 10});
  auto plain = make({.kind = "cosine", .base_lr = 1.0, .total_steps = 100});
  EXPECT_DOUBLE_EQ(cos.lr(4), plain.lr(4) * 0.5);
  EXPECT_DOUBLE_EQ(cos.lr(10), plain.lr(10));
  EXPECT_DOUBLE_EQ(cos.lr(100), plain.lr(100));
  auto step = make({.kind = "step", .base_lr = 1.0, .warmup_steps = 5, .step_size = 2, .gamma = 0.5});
  EXPECT_DOUBLE_EQ(step.lr(2), 0.5 * 3 / 5);
}

TEST(LrSchedule, CreateNamesTheBadField) {
  auto expect_error = [](LrScheduleOptions o, const std::string& field) {
    auto r = LrSchedule::create(o);
    ASSERT_FALSE(r.is_ok()) << field;
    EXPECT_NE(r.status().message().find(field), std::string::npos) << r.status().message();
  };
  expect_error({.kind = "exponential"}, "'kind'");
  expect_error({.base_lr = 0}, "'base_lr'");
  expect_error({.base_lr = -1}, "'base_lr'");
  expect_error({.warmup_steps = -1}, "'warmup_steps'");
  expect_error({.kind = "step", .step_size = 0}, "'step_size'");
  expect_error({.kind = "step", .step_size = 5, .gamma = 0}, "'gamma'");
  expect_error({.kind = "cosine"}, "'total_steps'");
  expect_error({.kind = "cosine", .total_steps = 10, .final_lr = -1}, "'final_lr'");
  expect_error({.kind = "onecycle", .total_steps = 3}, "'total_steps'");
  expect_error({.kind = "onecycle", .total_steps = 100, .pct_start = 1.0}, "'pct_start'");
  expect_error({.kind = "onecycle", .total_steps = 100, .max_lr = -1}, "'max_lr'");
}

TEST(LrSchedule, ParsesTheCliForms) {
  auto p = parse_lr_schedule("cosine", 0.01, 1000);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(p->kind, "cosine");
  EXPECT_EQ(p->base_lr, 0.01);
  EXPECT_EQ(p->total_steps, 1000);
  p = parse_lr_schedule("step:1000:0.5", 0.1, 0);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(p->kind, "step");
  EXPECT_EQ(p->step_size, 1000);
  EXPECT_EQ(p->gamma, 0.5);
  p = parse_lr_schedule("step:30", 0.1, 0);
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->gamma, 0.1);
  p = parse_lr_schedule("onecycle:0.01", 1e-3, 500);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(p->kind, "onecycle");
  EXPECT_EQ(p->max_lr, 0.01);
  p = parse_lr_schedule("onecycle:0.01:0.25", 1e-3, 500);
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->pct_start, 0.25);
  p = parse_lr_schedule("cosine,warmup:200", 1e-3, 5000);
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->kind, "cosine");
  EXPECT_EQ(p->warmup_steps, 200);
  p = parse_lr_schedule("warmup:50, cosine:1e-5", 1e-3, 5000);
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(p->warmup_steps, 50);
  EXPECT_EQ(p->final_lr, 1e-5);
  p = parse_lr_schedule("warmup:10", 1e-3, 0);
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->kind, "constant");
  EXPECT_TRUE(LrSchedule::create(*p).is_ok());
}

TEST(LrSchedule, ParseErrorsAreClear) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty"},
      {"linear", "unknown learning-rate schedule 'linear'"},
      {"step", "step needs a step size"},
      {"step:abc", "'abc' is not an integer"},
      {"step:10:x", "'x' is not a number"},
      {"step:10:0.5:3", "at most 2"},
      {"step:1.5", "'1.5' is not an integer"},
      {"cosine:nan", "is not a number"},
      {"constant:3", "at most 0"},
      {"cosine,step:10", "more than one schedule"},
      {"cosine,warmup:5,warmup:6", "twice"},
      {"cosine,warmup", "warmup needs a step count"},
      {"cosine,", "unknown learning-rate schedule ''"},
      {"warmup:-5", "'warmup_steps'"},
      {"step:0", "'step_size'"},
  };
  for (const auto& [text, needle] : cases) {
    auto r = parse_lr_schedule(text, 1e-3, 1000);
    ASSERT_FALSE(r.is_ok()) << text;
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << text << ": " << r.status().message();
  }
  EXPECT_FALSE(parse_lr_schedule("cosine", 1e-3, 0).is_ok()) << "cosine needs total_steps";
}

}  // namespace
}  // namespace ew::train
