#include "runtime/benchmark.h"

#include <chrono>
#include <set>

#include "runtime/model_stats.h"
#include "runtime/process_memory.h"
#include "runtime/random_inputs.h"
#include "ops/shape_inference.h"
#include "runtime/tensor_folder.h"
#include "runtime/trace.h"

namespace ew {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Passes each step to every observer in the list.
class ObserverList : public StepObserver {
 public:
  void add(StepObserver* o) {
    if (o) list_.push_back(o);
  }
  StepObserver* get() { return list_.empty() ? nullptr : this; }
  void after_step(const StepEvent& event) override {
    for (StepObserver* o : list_) o->after_step(event);
  }
  void body_started(const BodyFrame& frame, const std::vector<Tensor>& inputs) override {
    for (StepObserver* o : list_) o->body_started(frame, inputs);
  }

 private:
  std::vector<StepObserver*> list_;
};

// Every name in `dims` must be a symbolic dim of some input.
Status check_dim_names(const Session& session, const std::map<std::string, int64_t>& dims) {
  std::set<std::string> symbols;
  for (const auto& v : session.inputs())
    for (const Dim& d : v.type.dims)
      if (!d.known() && !d.symbol.empty()) symbols.insert(d.symbol);
  for (const auto& [name, value] : dims) {
    if (symbols.count(name)) continue;
    std::string known;
    for (const auto& s : symbols) known += (known.empty() ? "" : ", ") + s;
    return invalid_argument("dims: '" + name + "' is not a symbolic dimension of the model's inputs (" +
                            (known.empty() ? "it has none" : "they have: " + known) + ")");
  }
  return Status::ok();
}

Result<std::map<std::string, Tensor>> benchmark_inputs(const Session& session, const BenchmarkOptions& options) {
  if (!options.inputs.empty()) return options.inputs;
  if (!options.inputs_dir.empty()) return read_tensor_folder(options.inputs_dir, session.inputs(), "input");
  return random_inputs(session, options.dims, 1, options.seed);
}

// Static cost of `model` at the shapes the inputs bind; a lower bound when
// inference stops early. Fused ops the optimizer makes (com.microsoft FusedConv,
// FusedGemm, FusedMatMul) are costed as their base op: same inputs, and the
// fused activation is negligible next to the dot products.
ModelStats bound_cost(Model model, const std::map<std::string, int64_t>& bound) {
  bind_symbolic_dims(model, bound, 1);
  // bind_symbolic_dims binds the inputs only; declared output types keep "N",
  // which would leave the last node's output size (and cost) unknown.
  for (ValueInfo& v : model.graph.outputs)
    for (Dim& d : v.type.dims)
      if (!d.known() && bound.count(d.symbol)) d = Dim(bound.at(d.symbol));
  (void)infer_shapes(model);
  static const std::map<std::string, std::string> base_op = {
      {"FusedConv", "Conv"}, {"FusedGemm", "Gemm"}, {"FusedMatMul", "MatMul"}};
  for (Node& n : model.graph.nodes) {
    auto it = base_op.find(n.op_type);
    if (it != base_op.end() && n.domain == "com.microsoft") n.op_type = it->second, n.domain.clear();
  }
  return compute_model_stats(model);
}

Result<double> timed_run(const Session& session, const std::map<std::string, Tensor>& inputs, StepObserver* observer,
                         Clock::time_point* started = nullptr) {
  auto start = Clock::now();
  if (started) *started = start;
  auto outs = session.run(inputs, observer);
  double ms = ms_since(start);
  if (!outs.is_ok()) return outs.status();
  return ms;
}

}  // namespace

Result<BenchmarkResult> run_benchmark(const std::string& model_path, const SessionOptions& session_options,
                                      const BenchmarkOptions& options, const BenchmarkProgress& progress) {
  if (options.runs < 1) return invalid_argument("runs must be at least 1, got " + std::to_string(options.runs));
  if (options.warmup < 0) return invalid_argument("warmup must not be negative");
  BenchmarkResult r;
  r.model = model_path;
  r.threads = session_options.threads;
  auto load_start = Clock::now();
  EW_ASSIGN_OR_RETURN(auto session, Session::load(model_path, session_options));
  r.init_ms = ms_since(load_start);
  EW_RETURN_IF_ERROR(check_dim_names(*session, options.dims));
  EW_ASSIGN_OR_RETURN(auto inputs, benchmark_inputs(*session, options));
  EW_ASSIGN_OR_RETURN(r.dims, session->check_inputs(inputs));
  // Cost of the session's (optimized) graph, fused ops costed as their base op;
  // computed here rather than from a second load so the file's weights are not
  // held twice (that would raise the peak RSS measured below).
  ModelStats cost = bound_cost(session->model(), r.dims);
  r.macs = cost.macs;
  r.flops = cost.flops;
  r.cost_exact = cost.cost_exact;

  EW_ASSIGN_OR_RETURN(r.first_ms, timed_run(*session, inputs, nullptr));
  for (int i = 0; i < options.warmup; ++i) EW_RETURN_IF_ERROR(timed_run(*session, inputs, nullptr).status());

  std::optional<Profiler> profiler;
  if (options.profile) profiler.emplace(session->model(), cost);
  std::optional<TraceRecorder> trace;
  if (!options.trace_path.empty()) trace.emplace();
  ObserverList observers;
  observers.add(profiler ? &*profiler : nullptr);
  observers.add(trace ? &*trace : nullptr);

  double timed_seconds = 0;
  while (static_cast<int>(r.run_ms.size()) < options.runs || timed_seconds < options.min_seconds) {
    int index = static_cast<int>(r.run_ms.size());
    if (trace) trace->begin_run(index);
    Clock::time_point started;
    EW_ASSIGN_OR_RETURN(double ms, timed_run(*session, inputs, observers.get(), &started));
    if (trace) trace->add_run(index, started, ms / 1e3);
    r.run_ms.push_back(ms);
    timed_seconds += ms / 1e3;
    if (progress) progress(static_cast<int>(r.run_ms.size()), timed_seconds);
  }

  r.latency = summarize_latencies(r.run_ms);
  r.peak_rss_bytes = peak_rss_bytes();
  MemoryStats mem = session->memory_stats();
  r.arena_bytes = mem.arena_bytes;
  r.naive_bytes = mem.naive_bytes;
  r.plan = session->plan_summary();
  r.gflops_p50 = r.latency.p50 > 0 ? static_cast<double>(r.flops) / (r.latency.p50 * 1e6) : 0.0;
  if (profiler) r.profile = profiler->profile();
  if (trace) {
    EW_RETURN_IF_ERROR(trace->write(options.trace_path));
    r.trace_path = options.trace_path;
    r.trace_events = trace->size();
  }
  return r;
}

nlohmann::json benchmark_to_json(const BenchmarkResult& r) {
  const LatencySummary& l = r.latency;
  nlohmann::json j = {{"model", r.model}, {"threads", r.threads}, {"dims", r.dims},
                      {"init_ms", r.init_ms}, {"first_ms", r.first_ms}, {"runs", l.count},
                      {"mean_ms", l.mean}, {"std_ms", l.std}, {"min_ms", l.min}, {"p50_ms", l.p50},
                      {"p90_ms", l.p90}, {"p95_ms", l.p95}, {"p99_ms", l.p99}, {"max_ms", l.max},
                      {"peak_rss_bytes", r.peak_rss_bytes}, {"arena_bytes", r.arena_bytes},
                      {"naive_bytes", r.naive_bytes}, {"macs", r.macs}, {"flops", r.flops},
                      {"cost_exact", r.cost_exact}, {"gflops_p50", r.gflops_p50}};
  if (r.profile) {
    nlohmann::json p = profile_to_json(*r.profile);
    j["profile"] = p["nodes"];             // per step, slowest first
    j["profile_op_types"] = p["op_types"];
    j["profile_total_ms"] = p["total_ms"];
  }
  if (!r.trace_path.empty()) j["trace"] = {{"path", r.trace_path}, {"events", r.trace_events}};
  j["backend_nodes"] = r.plan.backend_nodes;
  if (!r.plan.precision_note.empty()) j["precision_note"] = r.plan.precision_note;
  j["tuning"] = {{"from_cache", r.plan.tuning_from_cache}, {"measure_ms", r.plan.tuning_seconds * 1e3}};
  j["backend_choices"] = nlohmann::json::array();
  for (const auto& c : r.plan.choices) {
    nlohmann::json ms;
    for (const auto& [name, s] : c.seconds) ms[name] = s * 1e3;
    j["backend_choices"].push_back({{"first_node", c.first_node}, {"nodes", c.nodes}, {"chosen", c.chosen}, {"ms", ms}});
  }
  return j;
}

}  // namespace ew
