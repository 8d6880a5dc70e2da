// Learning-rate schedules: the rate for the optimizer step about to run,
// as a pure function of the number of steps already taken (`step`, from 0).
//
//   constant  lr(t) = base_lr
//   step      lr(t) = base_lr * gamma^floor(t / step_size)                 (PyTorch StepLR)
//   cosine    lr(t) = final_lr + (base_lr - final_lr) * (1 + cos(pi * min(t, T) / T)) / 2
//             with T = total_steps: base_lr at 0, final_lr from T on       (CosineAnnealingLR, not periodic)
//   onecycle  PyTorch's OneCycleLR (anneal_strategy "cos", three_phase off), with
//             peak = max_lr (base_lr when max_lr is 0), start = peak / div_factor,
//             end = start / final_div_factor, cos_anneal(a, b, x) = b + (a - b) * (1 + cos(pi * x)) / 2,
//             P = pct_start * T - 1 (the step at the peak):
//               t <= P:  cos_anneal(start, peak, t / P)
//               t >  P:  cos_anneal(peak, end, (min(t, T-1) - P) / (T - 1 - P))
//             so lr(0) = start, lr(P) = peak, lr(t >= T-1) = end. It needs P > 0 and T - 1 > P.
//
// Warm-up (warmup_steps = W > 0) multiplies any of these linearly:
//   lr(t) = schedule(t) * (t + 1) / W  for t < W,   schedule(t) from W on,
// so the first step runs at schedule(0) / W and the schedule's own timeline is unchanged.
// Negative steps count as 0.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace ew::train {

struct LrScheduleOptions {
  std::string kind = "constant";  // constant | step | cosine | onecycle
  double base_lr = 1e-3;          // > 0
  int64_t total_steps = 0;        // T; > 0 for cosine and onecycle
  int64_t warmup_steps = 0;       // W >= 0
  int64_t step_size = 0;          // step: > 0
  double gamma = 0.1;             // step: > 0
  double final_lr = 0.0;          // cosine: >= 0
  double max_lr = 0;              // onecycle: the peak (0: base_lr)
  double pct_start = 0.3;         // onecycle: fraction of T spent rising, in (0, 1)
  double div_factor = 25;         // onecycle: start = peak / div_factor, > 0
  double final_div_factor = 1e4;  // onecycle: end = start / final_div_factor, > 0
};

class LrSchedule {
 public:
  // Validates `o`; the error names the field.
  static Result<LrSchedule> create(const LrScheduleOptions& o);
  double lr(int64_t step) const;
  const LrScheduleOptions& options() const { return o_; }

 private:
  explicit LrSchedule(const LrScheduleOptions& o) : o_(o) {}
  double schedule(int64_t t) const;
  LrScheduleOptions o_;
};

// Parses a CLI string into options, validated as create() does. Comma-separated
// parts, at most one schedule and one warm-up:
//   constant | step:STEP_SIZE[:GAMMA] | cosine[:FINAL_LR] | onecycle[:MAX_LR[:PCT_START]] | warmup:STEPS
// e.g. "cosine", "step:1000:0.5", "onecycle:0.01", "cosine,warmup:200", "warmup:100" (constant after).
Result<LrScheduleOptions> parse_lr_schedule(const std::string& text, double base_lr, int64_t total_steps);

}  // namespace ew::train
