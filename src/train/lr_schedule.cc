#include "train/lr_schedule.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <sstream>
#include <vector>

#include "train/option_error.h"

namespace ew::train {

namespace {

std::string num(double v) {
  std::ostringstream ss;
  ss << v;
  return ss.str();
}

Status field_error(const std::string& field, const std::string& rule, double got) {
  return option_error("learning-rate schedule", field, rule, got);
}

bool positive(double v) { return v > 0 && std::isfinite(v); }

double cos_anneal(double start, double end, double pct) {
  return end + (start - end) / 2.0 * (std::cos(std::numbers::pi * pct) + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return {""};
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep)) out.push_back(item);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

const char kGrammar[] =
    "expected constant, step:STEP_SIZE[:GAMMA], cosine[:FINAL_LR] or onecycle[:MAX_LR[:PCT_START]], "
    "optionally with ',warmup:STEPS'";

Result<double> parse_real(const std::string& text, const std::string& what, const std::string& part) {
  const std::string t = trim(text);
  char* end = nullptr;
  errno = 0;
  const double v = t.empty() ? 0 : std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
    return invalid_argument("learning-rate schedule '" + part + "': " + what + " '" + t + "' is not a number");
  return v;
}

Result<int64_t> parse_count(const std::string& text, const std::string& what, const std::string& part) {
  const std::string t = trim(text);
  char* end = nullptr;
  errno = 0;
  const long long v = t.empty() ? 0 : std::strtoll(t.c_str(), &end, 10);
  if (t.empty() || *end != '\0' || errno == ERANGE)
    return invalid_argument("learning-rate schedule '" + part + "': " + what + " '" + t + "' is not an integer");
  return static_cast<int64_t>(v);
}

// Applies one comma-separated part to `o`.
Status apply_part(const std::string& part, LrScheduleOptions& o, bool& have_kind, bool& have_warmup) {
  const std::vector<std::string> f = split(part, ':');
  const std::string name = trim(f[0]);
  const size_t args = f.size() - 1;
  auto too_many = [&](size_t max) {
    return invalid_argument("learning-rate schedule '" + part + "': '" + name + "' takes at most " +
                            std::to_string(max) + " value(s) (" + kGrammar + ")");
  };
  if (name == "warmup") {
    if (have_warmup) return invalid_argument("learning-rate schedule: warmup is given twice");
    if (args != 1) return invalid_argument("learning-rate schedule '" + part + "': warmup needs a step count, as warmup:200");
    EW_ASSIGN_OR_RETURN(o.warmup_steps, parse_count(f[1], "warm-up steps", part));
    have_warmup = true;
    return Status::ok();
  }
  if (name != "constant" && name != "step" && name != "cosine" && name != "onecycle")
    return invalid_argument("unknown learning-rate schedule '" + part + "' (" + kGrammar + ")");
  if (have_kind) return invalid_argument("learning-rate schedule: more than one schedule ('" + part + "')");
  have_kind = true;
  o.kind = name;
  if (name == "constant" && args > 0) return too_many(0);
  if (name == "step") {
    if (args < 1) return invalid_argument("learning-rate schedule '" + part + "': step needs a step size, as step:1000[:0.5]");
    if (args > 2) return too_many(2);
    EW_ASSIGN_OR_RETURN(o.step_size, parse_count(f[1], "step size", part));
    if (args == 2) {
      EW_ASSIGN_OR_RETURN(o.gamma, parse_real(f[2], "gamma", part));
    }
  }
  if (name == "cosine") {
    if (args > 1) return too_many(1);
    if (args == 1) {
      EW_ASSIGN_OR_RETURN(o.final_lr, parse_real(f[1], "final learning rate", part));
    }
  }
  if (name == "onecycle") {
    if (args > 2) return too_many(2);
    if (args >= 1) {
      EW_ASSIGN_OR_RETURN(o.max_lr, parse_real(f[1], "maximum learning rate", part));
    }
    if (args == 2) {
      EW_ASSIGN_OR_RETURN(o.pct_start, parse_real(f[2], "pct_start", part));
    }
  }
  return Status::ok();
}

}  // namespace

Result<LrScheduleOptions> parse_lr_schedule(const std::string& text, double base_lr, int64_t total_steps) {
  LrScheduleOptions o;
  o.base_lr = base_lr;
  o.total_steps = total_steps;
  if (trim(text).empty()) return invalid_argument(std::string("empty learning-rate schedule (") + kGrammar + ")");
  bool have_kind = false, have_warmup = false;
  for (const std::string& part : split(text, ','))
    EW_RETURN_IF_ERROR(apply_part(part, o, have_kind, have_warmup));
  EW_RETURN_IF_ERROR(LrSchedule::create(o).status());
  return o;
}

Result<LrSchedule> LrSchedule::create(const LrScheduleOptions& o) {
  const std::string& k = o.kind;
  if (k != "constant" && k != "step" && k != "cosine" && k != "onecycle")
    return invalid_argument("learning-rate schedule option 'kind': unknown schedule '" + k +
                            "' (expected constant, step, cosine or onecycle)");
  if (!positive(o.base_lr)) return field_error("base_lr", "> 0 and finite", o.base_lr);
  if (o.total_steps < 0) return field_error("total_steps", ">= 0", static_cast<double>(o.total_steps));
  if (o.warmup_steps < 0) return field_error("warmup_steps", ">= 0", static_cast<double>(o.warmup_steps));
  if (k == "step") {
    if (o.step_size <= 0) return field_error("step_size", "> 0 for kind step", static_cast<double>(o.step_size));
    if (!positive(o.gamma)) return field_error("gamma", "> 0 and finite", o.gamma);
  }
  if ((k == "cosine" || k == "onecycle") && o.total_steps <= 0)
    return field_error("total_steps", "> 0 for kind " + k, static_cast<double>(o.total_steps));
  if (k == "cosine" && !(o.final_lr >= 0 && std::isfinite(o.final_lr)))
    return field_error("final_lr", ">= 0 and finite", o.final_lr);
  if (k == "onecycle") {
    if (!(o.max_lr >= 0 && std::isfinite(o.max_lr))) return field_error("max_lr", ">= 0 and finite", o.max_lr);
    if (!(o.pct_start > 0 && o.pct_start < 1)) return field_error("pct_start", "in (0, 1)", o.pct_start);
    if (!positive(o.div_factor)) return field_error("div_factor", "> 0 and finite", o.div_factor);
    if (!positive(o.final_div_factor)) return field_error("final_div_factor", "> 0 and finite", o.final_div_factor);
    const double peak_step = o.pct_start * static_cast<double>(o.total_steps) - 1;
    if (!(peak_step > 0) || !(static_cast<double>(o.total_steps) - 1 > peak_step))
      return invalid_argument("learning-rate schedule option 'total_steps': onecycle needs pct_start * total_steps > 1 "
                              "and a step after the peak, got total_steps " + std::to_string(o.total_steps) +
                              " with pct_start " + num(o.pct_start));
  }
  return LrSchedule(o);
}

double LrSchedule::schedule(int64_t t) const {
  const double T = static_cast<double>(o_.total_steps);
  if (o_.kind == "step") return o_.base_lr * std::pow(o_.gamma, static_cast<double>(t / o_.step_size));
  if (o_.kind == "cosine") {
    const double x = static_cast<double>(std::min(t, o_.total_steps)) / T;
    return o_.final_lr + (o_.base_lr - o_.final_lr) * (1 + std::cos(std::numbers::pi * x)) / 2;
  }
  if (o_.kind == "onecycle") {
    const double peak = o_.max_lr > 0 ? o_.max_lr : o_.base_lr;
    const double start = peak / o_.div_factor, end = start / o_.final_div_factor;
    const double peak_step = o_.pct_start * T - 1;
    const double s = static_cast<double>(std::min(t, o_.total_steps - 1));
    if (s <= peak_step) return cos_anneal(start, peak, s / peak_step);
    return cos_anneal(peak, end, (s - peak_step) / (T - 1 - peak_step));
  }
  return o_.base_lr;
}

double LrSchedule::lr(int64_t step) const {
  const int64_t t = step < 0 ? 0 : step;
  const double v = schedule(t);
  if (t < o_.warmup_steps) return v * static_cast<double>(t + 1) / static_cast<double>(o_.warmup_steps);
  return v;
}

}  // namespace ew::train
