// edgewise eval MODEL --dataset fashion-mnist: top-1 accuracy on a labeled
// test set; with --compare OTHER.onnx also OTHER's accuracy, the two models'
// top-1 agreement and the mean KL divergence of their softmax outputs; with
// --precision bf16|fp16 (and no --compare) the same against MODEL in fp32. The
// measuring is evaluate_classifier (src/quant/evaluate.h); this file parses and prints.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "quant/evaluate.h"
#include "runtime/random_inputs.h"

namespace ew::cli {

namespace {

struct Args {
  std::string model, compare, dataset = "fashion-mnist", split = "test";
  int count = 0, batch = 100, random = 0;
  SessionArgs session;
  std::vector<std::string> dims;
  bool json = false;
};

// Progress on stderr after the first two seconds, at most once a second on a terminal (every 5 s otherwise).
std::function<void(int, int)> stderr_progress() {
  auto start = std::chrono::steady_clock::now();
  auto last = std::make_shared<std::chrono::steady_clock::time_point>(start);
  bool tty = isatty(STDERR_FILENO);
  return [=](int done, int total) {
    auto now = std::chrono::steady_clock::now();
    double wall = std::chrono::duration<double>(now - start).count();
    if (wall < 2.0 || std::chrono::duration<double>(now - *last).count() < (tty ? 1.0 : 5.0)) return;
    *last = now;
    std::fprintf(stderr, "%seval: %d / %d samples, %.1f s%s", tty ? "\r" : "", done, total, wall, tty ? "" : "\n");
  };
}

nlohmann::json to_json(const quant::ClassifierMetrics& m, const Args& a) {
  nlohmann::json j{{"model", a.model}, {"dataset", a.dataset}, {"split", a.split}, {"count", m.count}, {"top1", m.top1}};
  if (m.compared) {
    j["compare"] = a.compare;
    j["compare_top1"] = m.other_top1;
    j["agreement"] = m.comparison.agreement;
    j["mean_kl"] = m.comparison.mean_kl;
    j["output_sqnr_db"] = m.comparison.sqnr_db;
    j["max_abs_diff"] = m.comparison.max_abs_diff;
  }
  return j;
}

void print_text(const quant::ClassifierMetrics& m, const Args& a) {
  std::printf("model       %s\n", a.model.c_str());
  std::printf("dataset     %s (%s split), %lld samples\n", a.dataset.c_str(), a.split.c_str(), static_cast<long long>(m.count));
  std::printf("top-1       %.4f\n", m.top1);
  if (!m.compared) return;
  std::printf("compare     %s\n", a.compare.c_str());
  std::printf("its top-1   %.4f (%+.2f points)\n", m.other_top1, 100.0 * (m.other_top1 - m.top1));
  std::printf("agreement   %.4f (top-1 classes equal)\n", m.comparison.agreement);
  std::printf("mean KL     %.6g nats (softmax of model || softmax of compared)\n", m.comparison.mean_kl);
  std::printf("output SQNR %.2f dB, max |diff| %.4g\n", m.comparison.sqnr_db, m.comparison.max_abs_diff);
}

// --random N: both models on N deterministic random inputs (seeds 1..N); no labels, so
// only their agreement, output KL and SQNR.
int run_random(const Args& a, const Session& model, const Session& other) {
  auto dims = parse_dims(a.dims);
  if (!dims.is_ok()) return report_error(dims.status());
  quant::OutputComparer cmp;
  for (int i = 0; i < a.random; ++i) {
    auto feeds = random_inputs(model, *dims, 1, static_cast<uint64_t>(i + 1));
    if (!feeds.is_ok()) return report_error(feeds.status());
    auto x = model.run(*feeds);
    if (!x.is_ok()) return report_error(x.status());
    auto y = other.run(*feeds);
    if (!y.is_ok()) return report_error(y.status());
    Status s = cmp.add((*x)[0], (*y)[0]);
    if (!s.is_ok()) return report_error(s);
  }
  const quant::OutputComparison c = cmp.result();
  if (a.json) {
    std::cout << nlohmann::json{{"model", a.model}, {"compare", a.compare}, {"inputs", "random"}, {"count", c.count},
                                {"agreement", c.agreement}, {"mean_kl", c.mean_kl}, {"output_sqnr_db", c.sqnr_db},
                                {"max_abs_diff", c.max_abs_diff}}.dump(2)
              << "\n";
    return 0;
  }
  std::printf("model       %s\ncompare     %s\ninputs      %d random samples (rows compared: %lld)\n", a.model.c_str(),
              a.compare.c_str(), a.random, static_cast<long long>(c.count));
  std::printf("agreement   %.4f (top-1 classes equal)\nmean KL     %.6g nats\noutput SQNR %.2f dB, max |diff| %.4g\n",
              c.agreement, c.mean_kl, c.sqnr_db, c.max_abs_diff);
  return 0;
}

int run(const Args& a) {
  if (a.random > 0 && a.compare.empty() && a.session.precision == "fp32")
    return report_error(invalid_argument("--random needs --compare OTHER.onnx or --precision fp16|bf16"));
  if (a.random == 0 && a.dataset != "fashion-mnist") return report_error(invalid_argument("unknown dataset '" + a.dataset + "' (known: fashion-mnist)"));
  auto so = session_options(a.session);
  if (!so.is_ok()) return report_error(so.status());
  auto model = Session::load(a.model, *so);
  if (!model.is_ok()) return report_error(model.status());
  std::unique_ptr<Session> other;
  Args shown = a;
  if (!a.compare.empty() || a.session.precision != "fp32") {
    // Without --compare, a lower precision is compared with the same model in fp32: its accuracy cost.
    SessionOptions other_options = *so;
    other_options.fp16 = other_options.bf16 = false;
    const std::string path = a.compare.empty() ? a.model : a.compare;
    if (a.compare.empty()) shown.compare = a.model + " (fp32)";
    auto o = Session::load(path, a.compare.empty() ? other_options : *so);
    if (!o.is_ok()) return report_error(o.status());
    other = std::move(o).value();
  }
  if (a.random > 0) return run_random(shown, **model, *other);
  auto data = load_fashion_mnist(a.split, a.count);
  if (!data.is_ok()) return report_error(data.status());
  quant::EvalOptions eo;
  eo.count = a.count;
  eo.progress = stderr_progress();
  auto m = quant::evaluate_classifier(**model, other.get(), *data, a.batch, eo);
  if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\r");
  if (!m.is_ok()) return report_error(m.status());
  if (const std::string note = model.value()->plan_summary().precision_note; !note.empty())
    std::fprintf(stderr, "note: %s\n", note.c_str());
  if (a.json) std::cout << to_json(*m, shown).dump(2) << "\n";
  else print_text(*m, shown);
  return 0;
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("eval", "Top-1 accuracy on a labeled dataset; agreement and output KL against another model");
  cmd->add_option("model", args->model, "ONNX classifier (one image input, class scores as output 0)")->required();
  cmd->add_option("--dataset", args->dataset, "Labeled dataset: fashion-mnist (Debian's dataset-fashion-mnist)")->capture_default_str();
  cmd->add_option("--split", args->split, "test | train")->capture_default_str();
  cmd->add_option("--count", args->count, "Evaluate only the first N samples (default: the whole split)");
  cmd->add_option("--compare", args->compare, "A second model: its top-1, top-1 agreement and mean KL against MODEL");
  cmd->add_option("--batch", args->batch, "Samples per run")->capture_default_str();
  add_session_options(cmd, args->session);
  cmd->add_option("--random", args->random,
                  "Instead of a dataset: N deterministic random inputs, compared with --compare (agreement, KL, SQNR)");
  cmd->add_option("--dims", args->dims, "With --random: symbolic input dims, e.g. B=1,S=32");
  cmd->add_flag("--json", args->json, "Print one JSON object (top1, count; compare_top1, agreement, mean_kl with --compare)");
  cmd->callback([args] { exit_code() = run(*args); });
}

}  // namespace ew::cli
