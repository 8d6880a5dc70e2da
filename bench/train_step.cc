// train_step: the time of one training step (forward + backward of the
// training graph, then the optimizer) on real-model shapes, with a per-op-type
// profile split into forward and backward, and the planned memory.
//
//   train_step MODEL... [--batch 64] [--threads 1,2] [--warmup 3] [--steps 20]
//                       [--optimizer adamw|sgd|none] [--top 25] [--nodes N] [--tuning-cache DIR|none]
//                       [--backend auto|onednn|ours|...]
//                       [--check] [--no-profile] [--json]
//
// MODEL is an ONNX file or a model spec .json (src/train/model_builder.h).
// Every (model, threads) pair is measured in the same process, one after the
// other, so numbers printed together were measured side by side. A step is
// what the trainer does per batch: Session::run of the training graph on fixed
// random inputs and labels, then Optimizer::step on the gradients it returned.
// Wall time (the pool's threads work in parallel); the median and P90 over the
// timed steps. The profile comes from separate runs with a step observer, so
// its overhead does not enter the step times. With more than one thread the
// session's backend choice measures, per step, the pool against the calling
// thread alone and keeps the result in the tuning cache: measured on a busy
// machine it can pin steps to one thread, so --tuning-cache DIR (a fresh
// folder) or none makes it measure anew. --check first compares one step's
// outputs with a session of reference kernels only.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ir/onnx_import.h"
#include "runtime/latency_stats.h"
#include "runtime/profiler.h"
#include "runtime/session.h"
#include "train/gradient_builder.h"
#include "train/model_builder.h"
#include "train/optimizer.h"

namespace {

using namespace ew;
using Clock = std::chrono::steady_clock;

struct Options {
  std::vector<std::string> models;
  int64_t batch = 64;
  std::vector<int> threads{1};
  int warmup = 3, steps = 20, top = 25, top_nodes = 0;
  std::string optimizer = "adamw";
  std::string tuning_cache;  // SessionOptions::tuning_cache: "" default folder, "none", or a folder
  std::string backend = "auto";  // SessionOptions::backend: auto | onednn | xnnpack | ours | reference
  bool profile = true, json = false, check = false;
};

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// CPU time of the whole process (all pool threads), in ms: on a shared
// machine it leaves out the time other processes held the cores.
double process_cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Sums step times per (phase, op type, backend); a step is backward when the
// gradient builder wrote its node (names "grad/...").
class PhaseProfile : public StepObserver {
 public:
  struct Row {
    std::string phase, op_type, backend;
    int64_t calls = 0;
    double ms = 0;
  };
  struct NodeRow {
    std::string phase, name, op_type, backend, shapes;
    double ms = 0;
  };
  void after_step(const StepEvent& e) override {
    if (e.frame) return;
    const bool backward = e.node.name.rfind("grad/", 0) == 0;
    const char* phase = backward ? "backward" : "forward";
    std::string op = e.nodes.size() > 1 ? covered_op_types(e.nodes) : e.node.op_type;
    if (op == "ActivationGrad") op += "(" + e.node.attr_string("activation", "") + ")";
    const std::string backend = e.backend ? e.backend : "";
    Row& r = rows_[{phase, op, backend}];
    r.phase = phase;
    r.op_type = op;
    r.backend = backend;
    r.calls++;
    r.ms += e.seconds * 1e3;
    NodeRow& n = nodes_[&e.node];
    if (n.name.empty()) {
      n = NodeRow{phase, e.node.name, op, backend, ""};
      for (const Tensor* t : e.inputs)
        n.shapes += (n.shapes.empty() ? "" : " ") + (t ? shape_to_string(t->shape()) : "-");
    }
    n.ms += e.seconds * 1e3;
  }
  template <typename R>
  static std::vector<R> by_time(std::vector<R> v) {
    std::stable_sort(v.begin(), v.end(), [](const R& a, const R& b) { return a.ms > b.ms; });
    return v;
  }
  std::vector<Row> rows() const {
    std::vector<Row> v;
    for (const auto& [k, r] : rows_) v.push_back(r);
    return by_time(v);
  }
  std::vector<NodeRow> nodes() const {
    std::vector<NodeRow> v;
    for (const auto& [k, r] : nodes_) v.push_back(r);
    return by_time(v);
  }

 private:
  std::map<std::tuple<std::string, std::string, std::string>, Row> rows_;
  std::map<const Node*, NodeRow> nodes_;
};

Result<Model> load_model(const std::string& path) {
  if (train::looks_like_model_spec(path)) {
    EW_ASSIGN_OR_RETURN(train::ModelSpec spec, train::read_model_spec(path));
    return train::build_model(spec);
  }
  return load_onnx(path);
}

// The training graph's inputs in graph order: random data, random class labels, parameters and buffers.
Result<std::vector<Tensor>> make_inputs(const train::TrainingGraph& tg, const Model& forward, int64_t batch,
                                        int64_t classes, std::vector<train::Parameter>& params) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
  std::uniform_int_distribution<int64_t> label(0, std::max<int64_t>(classes - 1, 0));
  std::vector<Tensor> in;
  for (const ValueInfo& v : tg.model.graph.inputs) {
    if (v.name == tg.labels) {
      EW_ASSIGN_OR_RETURN(Tensor t, Tensor::create(DType::kInt64, {batch}));
      for (int64_t i = 0; i < batch; ++i) t.data<int64_t>()[i] = label(rng);
      in.push_back(t);
    } else if (v.name == tg.dropout_seed) {
      EW_ASSIGN_OR_RETURN(Tensor t, Tensor::scalar<int64_t>(1));
      in.push_back(t);
    } else if (auto it = forward.graph.initializers.find(v.name); it != forward.graph.initializers.end()) {
      EW_ASSIGN_OR_RETURN(Tensor t, it->second.clone());
      if (std::find(tg.parameters.begin(), tg.parameters.end(), v.name) != tg.parameters.end())
        params.push_back(train::Parameter{v.name, t, Tensor()});
      in.push_back(t);
    } else {
      Shape s;
      for (const Dim& d : v.type.dims) s.push_back(d.known() ? d.value : batch);
      if (!s.empty()) s[0] = batch;
      EW_ASSIGN_OR_RETURN(Tensor t, Tensor::create(DType::kFloat32, s));
      for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = pixel(rng);
      in.push_back(t);
    }
  }
  return in;
}

struct Measured {
  std::string model;
  int threads = 1;
  int64_t batch = 0, parameters = 0;
  double build_ms = 0, plan_ms = 0;
  LatencySummary step, session, optimizer, cpu;
  MemoryStats memory;
  PlanSummary plan;
  std::vector<PhaseProfile::Row> profile;
  std::vector<PhaseProfile::NodeRow> nodes;
  double forward_ms = 0, backward_ms = 0;  // per step, from the profile
  double profiled_step_ms = 0;              // wall time per step of the profiled runs
  // --check: the largest max|g - g_ref| / max(max|g_ref|, 1e-4) over the outputs (loss,
  // prediction, gradients, BatchNorm statistics) against reference kernels only.
  double check_error = -1;
  std::string check_worst;
};

Result<Measured> measure(const std::string& path, int threads, const Options& o) {
  Measured m;
  m.model = path;
  m.threads = threads;
  m.batch = o.batch;
  EW_ASSIGN_OR_RETURN(Model forward, load_model(path));
  auto t0 = Clock::now();
  EW_ASSIGN_OR_RETURN(train::TrainingGraph tg, train::build_training_graph(forward));
  SessionOptions so;
  so.threads = threads;
  so.tuning_cache = o.tuning_cache;
  if (o.backend == "ours") so.use_backends = false;  // our kernels only, as `edgewise bench --backend ours`
  else so.backend = o.backend;
  EW_ASSIGN_OR_RETURN(auto session, Session::create(tg.model, so));
  m.build_ms = ms_since(t0);
  const ValueType* pred = tg.model.graph.find_type(tg.prediction);
  const int64_t classes = pred && pred->dims.size() == 2 && pred->dims[1].known() ? pred->dims[1].value : 10;
  std::vector<train::Parameter> params;
  EW_ASSIGN_OR_RETURN(std::vector<Tensor> inputs, make_inputs(tg, forward, o.batch, classes, params));
  for (const auto& p : params) m.parameters += p.value.numel();
  t0 = Clock::now();
  EW_RETURN_IF_ERROR(session->prepare(inputs));
  m.plan_ms = ms_since(t0);

  if (o.check) {  // one run against a session of reference kernels only, before the optimizer moves anything
    SessionOptions ro = so;
    ro.fast_kernels = false;
    ro.use_backends = false;
    EW_ASSIGN_OR_RETURN(auto reference, Session::create(tg.model, ro));
    std::vector<Tensor> fast_out, ref_out;
    EW_RETURN_IF_ERROR(session->run(inputs, fast_out));
    EW_RETURN_IF_ERROR(reference->run(inputs, ref_out));
    for (size_t i = 0; i < fast_out.size(); ++i) {
      double err = 0, mag = 1e-4;  // values below 1e-4 count as zero: no relative error on them
      for (int64_t j = 0; j < ref_out[i].numel(); ++j) {
        err = std::max(err, std::abs(double(fast_out[i].data<float>()[j]) - ref_out[i].data<float>()[j]));
        mag = std::max(mag, std::abs(double(ref_out[i].data<float>()[j])));
      }
      // Gradients are named after their parameter.
      const std::string name = i >= 2 && i - 2 < tg.parameters.size() ? "d " + tg.parameters[i - 2]
                                                                       : tg.model.graph.outputs[i].name;
      if (err / mag > 1e-4 && !o.json)
        std::printf("  check   %-32s max|error| / max|value| %.2e (max|value| %.3g)\n", name.c_str(), err / mag, mag);
      if (err / mag > m.check_error) {
        m.check_error = err / mag;
        m.check_worst = name;
      }
    }
  }
  std::unique_ptr<train::Optimizer> opt;
  if (o.optimizer != "none") {
    train::OptimizerOptions oo;
    oo.kind = o.optimizer;
    EW_ASSIGN_OR_RETURN(opt, train::Optimizer::create(oo));
  }
  std::vector<Tensor> outputs;
  std::vector<double> step_ms, session_ms, opt_ms, cpu_ms;
  auto one_step = [&](StepObserver* observer, bool record) -> Status {
    const double cpu_start = process_cpu_ms();
    const auto start = Clock::now();
    EW_RETURN_IF_ERROR(session->run(inputs, outputs, observer));
    const double run_ms = ms_since(start);
    for (size_t i = 0; i < params.size(); ++i) params[i].grad = outputs[2 + i];
    const auto opt_start = Clock::now();
    if (opt) EW_RETURN_IF_ERROR(opt->step(params, 1e-4));
    if (record) {
      session_ms.push_back(run_ms);
      opt_ms.push_back(ms_since(opt_start));
      step_ms.push_back(ms_since(start));
      cpu_ms.push_back(process_cpu_ms() - cpu_start);
    }
    return Status::ok();
  };
  for (int i = 0; i < o.warmup; ++i) EW_RETURN_IF_ERROR(one_step(nullptr, false));
  for (int i = 0; i < o.steps; ++i) EW_RETURN_IF_ERROR(one_step(nullptr, true));
  m.step = summarize_latencies(step_ms);
  m.session = summarize_latencies(session_ms);
  m.optimizer = summarize_latencies(opt_ms);
  m.cpu = summarize_latencies(cpu_ms);
  m.memory = session->memory_stats();
  m.plan = session->plan_summary();
  if (o.profile) {
    PhaseProfile prof;
    const int runs = std::max(3, o.steps / 2);
    const auto profile_start = Clock::now();
    for (int i = 0; i < runs; ++i) EW_RETURN_IF_ERROR(one_step(&prof, false));
    m.profiled_step_ms = ms_since(profile_start) / runs;
    m.profile = prof.rows();
    m.nodes = prof.nodes();
    for (auto& n : m.nodes) n.ms /= runs;
    for (auto& r : m.profile) {
      r.ms /= runs;
      (r.phase == "forward" ? m.forward_ms : m.backward_ms) += r.ms;
      r.calls /= runs;
    }
  }
  return m;
}

void print(const Measured& m, int top, int top_nodes) {
  const double sps = m.step.p50 > 0 ? 1e3 * double(m.batch) / m.step.p50 : 0;
  std::printf("\n## %s  batch %lld  threads %d  (%lld parameters)\n", m.model.c_str(), (long long)m.batch, m.threads,
              (long long)m.parameters);
  std::printf("step      median %.2f ms  P90 %.2f ms  min %.2f ms  (%.1f samples/s)\n", m.step.p50, m.step.p90,
              m.step.min, sps);
  std::printf("  session median %.2f ms   optimizer median %.2f ms   process CPU median %.2f ms/step\n",
              m.session.p50, m.optimizer.p50, m.cpu.p50);
  std::printf("build     %.1f ms (training graph + session)   plan %.1f ms (first shape)\n", m.build_ms, m.plan_ms);
  if (m.check_error >= 0)
    std::printf("check     outputs vs reference kernels: worst max|error| / max|value| %.2e (%s)\n", m.check_error,
                m.check_worst.c_str());
  std::printf("memory    arena %.2f MiB planned vs %.2f MiB naive (%d plan%s)\n", m.memory.arena_bytes / 1048576.0,
              m.memory.naive_bytes / 1048576.0, m.memory.plans, m.memory.plans == 1 ? "" : "s");
  int single = 0;
  for (const auto& c : m.plan.choices)
    single += c.chosen.size() > 2 && c.chosen.compare(c.chosen.size() - 2, 2, "@1") == 0;
  std::printf("plan      %d steps: %d fast kernel, %d reference, %d view, %d in place, %d dynamic, %d partitions; "
              "%d of %zu measured choices run on the calling thread only (%s)\n",
              m.plan.steps, m.plan.fast_kernel_steps, m.plan.reference_steps, m.plan.view_steps, m.plan.in_place_steps,
              m.plan.dynamic_steps, m.plan.partitions, single, m.plan.choices.size(),
              m.plan.tuning_from_cache ? "from the tuning cache" : "measured now");
  if (m.profile.empty()) return;
  const double total = m.forward_ms + m.backward_ms;
  std::printf("profile   forward %.2f ms  backward %.2f ms per step in kernels, of %.2f ms per step (observer runs)\n",
              m.forward_ms, m.backward_ms, m.profiled_step_ms);
  std::printf("| phase | op type | backend | calls | ms/step | share |\n|---|---|---|---:|---:|---:|\n");
  int shown = 0;
  for (const auto& r : m.profile) {
    if (shown++ >= top) break;
    std::printf("| %s | %s | %s | %lld | %.2f | %.1f%% |\n", r.phase.c_str(), r.op_type.c_str(), r.backend.c_str(),
                (long long)r.calls, r.ms, total > 0 ? 100 * r.ms / total : 0);
  }
  if (top_nodes <= 0) return;
  std::printf("\n| phase | node | op type | backend | ms/step | input shapes |\n|---|---|---|---|---:|---|\n");
  for (int i = 0; i < top_nodes && i < static_cast<int>(m.nodes.size()); ++i) {
    const auto& n = m.nodes[static_cast<size_t>(i)];
    std::printf("| %s | %s | %s | %s | %.2f | %s |\n", n.phase.c_str(), n.name.c_str(), n.op_type.c_str(),
                n.backend.c_str(), n.ms, n.shapes.c_str());
  }
}

nlohmann::json to_json(const Measured& m) {
  auto lat = [](const LatencySummary& l) {
    return nlohmann::json{
        {"median_ms", l.p50}, {"p90_ms", l.p90}, {"min_ms", l.min}, {"mean_ms", l.mean}, {"runs", l.count}};
  };
  nlohmann::json prof = nlohmann::json::array();
  for (const auto& r : m.profile)
    prof.push_back(
        {{"phase", r.phase}, {"op_type", r.op_type}, {"backend", r.backend}, {"calls", r.calls}, {"ms", r.ms}});
  return {{"model", m.model},
          {"batch", m.batch},
          {"threads", m.threads},
          {"parameters", m.parameters},
          {"step", lat(m.step)},
          {"session", lat(m.session)},
          {"optimizer", lat(m.optimizer)},
          {"process_cpu", lat(m.cpu)},
          {"samples_per_s", m.step.p50 > 0 ? 1e3 * double(m.batch) / m.step.p50 : 0},
          {"build_ms", m.build_ms},
          {"plan_ms", m.plan_ms},
          {"memory",
           {{"arena_bytes", m.memory.arena_bytes}, {"naive_bytes", m.memory.naive_bytes}, {"plans", m.memory.plans}}},
          {"plan", {{"steps", m.plan.steps}, {"fast_kernel_steps", m.plan.fast_kernel_steps},
                    {"reference_steps", m.plan.reference_steps}, {"partitions", m.plan.partitions}}},
          {"forward_ms", m.forward_ms},
          {"backward_ms", m.backward_ms},
          {"profiled_step_ms", m.profiled_step_ms},
          {"check_error", m.check_error},
          {"profile", prof}};
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--json") o.json = true;
    else if (a == "--no-profile") o.profile = false;
    else if (a == "--check") o.check = true;
    else if (a == "--batch" && (v = next())) o.batch = std::atoll(v);
    else if (a == "--warmup" && (v = next())) o.warmup = std::atoi(v);
    else if (a == "--steps" && (v = next())) o.steps = std::atoi(v);
    else if (a == "--top" && (v = next())) o.top = std::atoi(v);
    else if (a == "--nodes" && (v = next())) o.top_nodes = std::atoi(v);
    else if (a == "--optimizer" && (v = next())) o.optimizer = v;
    else if (a == "--tuning-cache" && (v = next())) o.tuning_cache = v;
    else if (a == "--backend" && (v = next())) o.backend = v;
    else if (a == "--threads" && (v = next())) {
      o.threads.clear();
      std::stringstream ss(v);
      for (std::string t; std::getline(ss, t, ',');) o.threads.push_back(std::atoi(t.c_str()));
    } else if (!a.empty() && a[0] != '-') o.models.push_back(a);
    else return false;
  }
  return !o.models.empty() && o.batch > 0 && o.steps > 0 && !o.threads.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: train_step MODEL... [--batch 64] [--threads 1,2] [--warmup 3] [--steps 20]\n"
                 "                  [--optimizer adamw|sgd|none] [--top 25] [--nodes 0] [--tuning-cache DIR|none]\n"
                 "                  [--check] [--no-profile] [--json]\n");
    return 2;
  }
  nlohmann::json all = nlohmann::json::array();
  for (const std::string& model : o.models)
    for (int threads : o.threads) {
      auto m = measure(model, threads, o);
      if (!m.is_ok()) {
        std::fprintf(stderr, "%s (threads %d): %s\n", model.c_str(), threads, m.status().to_string().c_str());
        return 1;
      }
      if (o.json) all.push_back(to_json(*m));
      else print(*m, o.top, o.top_nodes);
    }
  if (o.json) std::printf("%s\n", all.dump(2).c_str());
  return 0;
}
