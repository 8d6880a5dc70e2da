#include "backends/backend_choice.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <set>

#include "backends/kernel_timer.h"

namespace ew {

namespace {

constexpr const char* kOurs = "ours";
constexpr const char* kSingle = "@1";  // suffix of a candidate's one-thread form

// A candidate's name: a backend's, or "ours", plus "@1" for its one-thread form.
struct Candidate {
  std::string base;
  bool single = false;
  explicit Candidate(const std::string& name) {
    const size_t at = name.rfind(kSingle);
    single = at != std::string::npos && at + 2 == name.size();
    base = single ? name.substr(0, at) : name;
  }
  bool ours() const { return base == kOurs; }
};
constexpr double kInf = std::numeric_limits<double>::infinity();
// Pairs are timed for the backend that wins either chunk, and for backends
// within this factor of both chunks' best; merging cannot make a backend that
// much slower on both the winner. (A chunk alone can be far slower than it is
// after its neighbour: oneDNN pools a plain tensor slowly and a blocked one fast.)
constexpr double kPairRange = 2.0;
// Whole-segment assignments run end to end against each other in this many
// interleaved rounds.
constexpr int kDuelRounds = 3;
// A challenger replaces the incumbent only when at least this much faster.
constexpr double kClearlyFaster = 0.97;

// Nodes that start a chunk: where the time goes.
bool is_reshape_like(const Node& n) {
  return n.op_type == "Reshape" || n.op_type == "Flatten" || n.op_type == "Squeeze" || n.op_type == "Unsqueeze";
}

bool is_heavy(const Node& n) {
  static const std::set<std::string> kHeavy = {
      "Conv", "FusedConv", "ConvTranspose", "Gemm", "FusedGemm", "MatMul", "QLinearConv", "QLinearMatMul",
      "ConvInteger", "MatMulInteger", "QGemm", "DynamicQuantizeMatMul", "MatMulNBits", "LayerNormalization",
      "Softmax", "MaxPool", "AveragePool", "Concat"};
  return kHeavy.count(n.op_type) > 0;
}

struct Chunk {
  int begin = 0, end = 0;
  std::vector<std::string> candidates;
  std::map<std::string, double> seconds;
};

// Kernels of an assignment, ready to run.
struct Compiled {
  struct Ours {
    int step = 0;
    std::unique_ptr<PreparedKernel> kernel;
    const char* name = nullptr;
    bool single = false;
  };
  std::vector<Partition> partitions;
  std::vector<Ours> ours;
};

class Chooser {
 public:
  Chooser(const StepList& steps, const TypeLookup& types, const ChoiceOptions& options)
      : steps_(steps), types_(types), options_(options) {
    for (const Backend* b : options.backends) backends_[b->name()] = b;
  }

  Result<ChosenPlan> run();

 private:
  std::vector<std::string> candidates_of(int k);
  BackendOptions options_for(const Candidate& c) const {
    BackendOptions o = options_.backend;
    if (c.single) o.threads = 1, o.threadpool = nullptr;
    return o;
  }
  Result<Partition> compile_for(const Candidate& c, int begin, int end) const {
    auto p = compile_partition(*backends_.at(c.base), steps_, begin, end, types_, options_for(c));
    if (p.is_ok()) p->single_thread = c.single;
    return p;
  }
  std::vector<std::vector<Chunk>> cut_segments();
  double measure(int begin, int end, const std::string& who);
  void measure_segment(std::vector<Chunk>& segment, std::vector<std::map<std::string, double>>& savings);
  std::vector<std::string> assign(const std::vector<Chunk>& segment,
                                  const std::vector<std::map<std::string, double>>& savings) const;
  bool still_valid(const BackendChoice& c);
  bool only_reshapes(int begin, int end) const {
    for (int k = begin; k < end; ++k)
      if (!is_reshape_like(*steps_.nodes[k])) return false;
    return true;
  }
  Compiled compile(const std::vector<BackendChoice>& choices);
  double time_compiled(Compiled& c, int begin, int end);
  std::vector<BackendChoice> choose_segment(std::vector<Chunk>& segment, Compiled& best);
  static double predicted(const std::vector<Chunk>& segment, const std::vector<std::map<std::string, double>>& savings,
                          const std::vector<std::string>& who);
  void adopt(Compiled& c, ChosenPlan& plan);

  const StepList& steps_;
  const TypeLookup& types_;
  const ChoiceOptions& options_;
  std::map<std::string, const Backend*> backends_;
};

std::vector<std::string> Chooser::candidates_of(int k) {
  std::vector<std::string> out;
  for (const auto& [name, b] : backends_)
    if (b->supports(*steps_.nodes[k], types_)) out.push_back(name);
  if (options_.ours) {
    const char* name = nullptr;
    if (options_.ours(k, false, &name)) out.push_back(kOurs);
  }
  if (options_.backend.threads > 1)
    for (size_t i = 0, n = out.size(); i < n; ++i) out.push_back(out[i] + kSingle);
  return out;
}

std::vector<std::vector<Chunk>> Chooser::cut_segments() {
  std::vector<std::vector<Chunk>> segments;
  std::vector<std::string> previous;
  for (int k = 0; k < static_cast<int>(steps_.size()); ++k) {
    std::vector<std::string> c = candidates_of(k);
    if (c.empty()) {
      previous.clear();
      continue;
    }
    if (previous.empty()) segments.emplace_back();
    auto& segment = segments.back();
    if (segment.empty() || c != previous || is_heavy(*steps_.nodes[k])) segment.push_back(Chunk{k, k, c, {}});
    segment.back().end = k + 1;
    previous = c;
  }
  return segments;
}

// Seconds per run of steps [begin, end) on `who`, built for them alone; +inf when it cannot run them.
double Chooser::measure(int begin, int end, const std::string& who) {
  const Candidate c(who);
  std::vector<TimedStep> timed;
  std::vector<std::unique_ptr<PreparedKernel>> kernels;
  Partition p;
  if (c.ours()) {
    for (int k = begin; k < end; ++k) {
      const char* name = nullptr;
      kernels.push_back(options_.ours(k, c.single, &name));
      if (!kernels.back()) return kInf;
      const Node& node = *steps_.nodes[k];
      timed.push_back({kernels.back().get(), &node, steps_.opsets[k], node.inputs, node.outputs, c.single});
    }
  } else {
    auto compiled = compile_for(c, begin, end);
    if (!compiled.is_ok()) return kInf;
    p = std::move(compiled).value();
    timed.push_back({p.kernel.get(), p.nodes.front(), steps_.opsets[begin], p.inputs, p.outputs, c.single, p.own_threads});
  }
  auto t = time_steps(timed, types_, options_.backend.threadpool);
  return t.is_ok() ? t->seconds : kInf;
}

void Chooser::measure_segment(std::vector<Chunk>& segment, std::vector<std::map<std::string, double>>& savings) {
  for (Chunk& c : segment)
    for (const auto& who : c.candidates) c.seconds[who] = measure(c.begin, c.end, who);
  savings.assign(segment.size(), {});
  for (size_t i = 0; i + 1 < segment.size(); ++i) {
    const Chunk &a = segment[i], &b = segment[i + 1];
    double best_a = kInf, best_b = kInf;
    for (const auto& [who, s] : a.seconds) best_a = std::min(best_a, s);
    for (const auto& [who, s] : b.seconds) best_b = std::min(best_b, s);
    for (const auto& who : a.candidates) {
      if (Candidate(who).ours() || !b.seconds.count(who)) continue;
      double ta = a.seconds.at(who), tb = b.seconds.at(who);
      bool wins_one = ta == best_a || tb == best_b;
      if (!wins_one && (ta > kPairRange * best_a || tb > kPairRange * best_b)) continue;
      double together = measure(a.begin, b.end, who);
      if (together < kInf) savings[i][who] = ta + tb - together;
    }
  }
}

// Cheapest assignment of candidates to the chunks of a segment: chunk times
// plus, for neighbours on the same backend, minus what running them together saved.
std::vector<std::string> Chooser::assign(const std::vector<Chunk>& segment,
                                         const std::vector<std::map<std::string, double>>& savings) const {
  const size_t n = segment.size();
  std::vector<std::map<std::string, double>> cost(n);
  std::vector<std::map<std::string, std::string>> from(n);
  for (size_t i = 0; i < n; ++i)
    for (const auto& [who, t] : segment[i].seconds) {
      if (t == kInf) continue;
      double best = i == 0 ? 0 : kInf;
      for (const auto& [prev, c] : i == 0 ? std::map<std::string, double>{} : cost[i - 1]) {
        double saved = 0;
        if (prev == who) {
          auto it = savings[i - 1].find(who);
          if (it != savings[i - 1].end()) saved = it->second;
        }
        if (c - saved < best) best = c - saved, from[i][who] = prev;
      }
      if (best < kInf) cost[i][who] = best + t;
    }
  std::vector<std::string> out(n);
  double best = kInf;
  for (const auto& [who, c] : cost[n - 1])
    if (c < best) best = c, out[n - 1] = who;
  for (size_t i = n - 1; i > 0; --i) out[i - 1] = out[i].empty() ? "" : from[i][out[i]];
  return out;
}

// What the chunk and pair times predict for an assignment of a segment.
double Chooser::predicted(const std::vector<Chunk>& segment, const std::vector<std::map<std::string, double>>& savings,
                          const std::vector<std::string>& who) {
  double t = 0;
  for (size_t i = 0; i < segment.size(); ++i) {
    auto it = segment[i].seconds.find(who[i]);
    if (it == segment[i].seconds.end()) return kInf;
    t += it->second;
    if (i > 0 && who[i] == who[i - 1]) {
      auto saved = savings[i - 1].find(who[i]);
      if (saved != savings[i - 1].end()) t -= saved->second;
    }
  }
  return t;
}

bool Chooser::still_valid(const BackendChoice& c) {
  if (c.begin < 0 || c.end > static_cast<int>(steps_.size()) || c.begin >= c.end) return false;
  const Candidate who(c.chosen);
  if (who.single && options_.backend.threads <= 1) return false;
  if (who.ours()) return static_cast<bool>(options_.ours);
  auto b = backends_.find(who.base);
  if (b == backends_.end()) return false;
  for (int k = c.begin; k < c.end; ++k)
    if (!b->second->supports(*steps_.nodes[k], types_)) return false;
  return true;
}

// Compiles an assignment: consecutive chunks on one backend become one
// partition (one chunk at a time if that fails; a chunk no backend compiles
// is left to the runtime's own kernels), chunks on ours get our kernels.
Compiled Chooser::compile(const std::vector<BackendChoice>& choices) {
  Compiled out;
  for (size_t i = 0; i < choices.size();) {
    size_t j = i + 1;
    const std::string& who = choices[i].chosen;
    const Candidate c(who);
    if (c.ours()) {
      for (int k = choices[i].begin; k < choices[i].end; ++k) {
        const char* name = nullptr;
        if (auto kernel = options_.ours(k, c.single, &name)) out.ours.push_back({k, std::move(kernel), name, c.single});
      }
      i = j;
      continue;
    }
    while (j < choices.size() && choices[j].chosen == who && choices[j].begin == choices[j - 1].end) ++j;
    if (only_reshapes(choices[i].begin, choices[j - 1].end)) {  // the runtime makes these views
      i = j;
      continue;
    }
    auto p = compile_for(c, choices[i].begin, choices[j - 1].end);
    if (p.is_ok()) {
      out.partitions.push_back(std::move(p).value());
    } else {
      for (size_t k = i; k < j; ++k) {
        auto one = compile_for(c, choices[k].begin, choices[k].end);
        if (one.is_ok()) out.partitions.push_back(std::move(one).value());
      }
    }
    i = j;
  }
  return out;
}

// Seconds per run of a compiled assignment, its kernels run in step order as
// the plan would run them (so layout changes at partition edges and the two
// thread pools taking turns are in the time). +inf when a step is left out.
double Chooser::time_compiled(Compiled& c, int begin, int end) {
  std::map<int, TimedStep> by_step;
  int covered = 0;
  for (Partition& p : c.partitions) {
    by_step[p.begin] = {p.kernel.get(), p.nodes.front(), steps_.opsets[p.begin], p.inputs, p.outputs, p.single_thread,
                        p.own_threads};
    covered += p.end - p.begin;
  }
  for (auto& o : c.ours) {
    const Node& node = *steps_.nodes[o.step];
    by_step[o.step] = {o.kernel.get(), &node, steps_.opsets[o.step], node.inputs, node.outputs, o.single};
    covered += 1;
  }
  for (int k = begin; k < end; ++k) {  // reshapes left to the runtime are views: free
    if (!is_reshape_like(*steps_.nodes[k])) continue;
    bool inside = false;
    for (const Partition& p : c.partitions) inside |= k >= p.begin && k < p.end;
    covered += inside ? 0 : 1;
  }
  if (covered != end - begin) return kInf;
  std::vector<TimedStep> timed;
  for (auto& [k, t] : by_step) timed.push_back(std::move(t));
  auto t = time_steps(timed, types_, options_.backend.threadpool);
  return t.is_ok() ? t->seconds : kInf;
}

// The segment's assignment: the dynamic program's, checked end to end against
// each backend running every chunk it can (the program sees chunks and pairs;
// a whole segment also pays for the thread pools and caches it shares).
std::vector<BackendChoice> Chooser::choose_segment(std::vector<Chunk>& segment, Compiled& best) {
  auto as_choices = [&](const std::vector<std::string>& who) {
    std::vector<BackendChoice> out;
    for (size_t i = 0; i < segment.size(); ++i) {
      const Chunk& c = segment[i];
      out.push_back({c.begin, c.end, steps_.nodes[c.begin]->label(), c.end - c.begin,
                     who[i].empty() ? c.candidates.front() : who[i], c.seconds});
    }
    return out;
  };
  bool choice = false;
  for (const Chunk& c : segment) choice |= c.candidates.size() > 1;
  if (!choice) {
    auto out = as_choices(std::vector<std::string>(segment.size()));
    best = compile(out);
    return out;
  }
  std::vector<std::map<std::string, double>> savings;
  measure_segment(segment, savings);
  const std::vector<std::string> dp = assign(segment, savings);
  // Candidates: each backend (and its one-thread form) running every chunk it
  // can, the program's choice elsewhere, ordered by what the chunk times
  // predict; then the program's own mix. All run end to end: isolated chunk
  // times misjudge a blocked-layout backend, which pays for layout changes at
  // every chunk edge and runs some ops (pooling) slowly on plain tensors only.
  std::vector<std::vector<std::string>> candidates;
  for (const auto& [name, b] : backends_)
    for (const std::string& form : {name, name + kSingle}) {
      if (Candidate(form).single && options_.backend.threads <= 1) continue;
      std::vector<std::string> alone = dp;
      for (size_t i = 0; i < segment.size(); ++i)
        if (segment[i].seconds.count(form) && segment[i].seconds.at(form) < kInf) alone[i] = form;
      if (alone != dp && std::find(candidates.begin(), candidates.end(), alone) == candidates.end())
        candidates.push_back(alone);
    }
  std::stable_sort(candidates.begin(), candidates.end(), [&](const auto& a, const auto& b) {
    return predicted(segment, savings, a) < predicted(segment, savings, b);
  });
  candidates.push_back(dp);
  // The first is the incumbent; each other one runs end to end against it,
  // their runs interleaved so the machine's drifts weigh on both alike, and
  // replaces it only when clearly faster: a mix of backends must earn its
  // extra layout changes and thread-pool handovers.
  const int begin = segment.front().begin, end = segment.back().end;
  std::vector<BackendChoice> chosen = as_choices(candidates.front());
  best = compile(chosen);
  for (size_t c = 1; c < candidates.size(); ++c) {
    auto choices = as_choices(candidates[c]);
    Compiled compiled = compile(choices);
    double t_best = kInf, t_new = kInf;
    for (int round = 0; round < kDuelRounds; ++round) {
      t_best = std::min(t_best, time_compiled(best, begin, end));
      t_new = std::min(t_new, time_compiled(compiled, begin, end));
    }
    if (t_new < kClearlyFaster * t_best) {
      best = std::move(compiled);
      chosen = std::move(choices);
    }
  }
  return chosen;
}

void Chooser::adopt(Compiled& c, ChosenPlan& plan) {
  for (Partition& p : c.partitions) plan.partitions.push_back(std::move(p));
  for (auto& o : c.ours) {
    plan.ours[o.step] = std::move(o.kernel);
    plan.ours_names[o.step] = o.name;
    plan.ours_single[o.step] = o.single;
  }
}

Result<ChosenPlan> Chooser::run() {
  ChosenPlan plan;
  plan.ours.resize(steps_.size());
  plan.ours_names.assign(steps_.size(), nullptr);
  plan.ours_single.assign(steps_.size(), 0);
  const std::string key = options_.cache_dir.empty() ? "" : tuning_key(steps_, types_, options_.backend, options_.backends);
  std::vector<BackendChoice> choices = key.empty() ? std::vector<BackendChoice>{} : load_tuning(options_.cache_dir, key);
  bool valid = !choices.empty();
  for (const auto& c : choices) valid &= still_valid(c);
  if (valid) {
    plan.from_cache = true;
    Compiled compiled = compile(choices);
    adopt(compiled, plan);
  } else {
    choices.clear();
    auto start = std::chrono::steady_clock::now();
    for (auto& segment : cut_segments()) {
      Compiled compiled;
      for (auto& c : choose_segment(segment, compiled)) choices.push_back(std::move(c));
      adopt(compiled, plan);
    }
    plan.tuning_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!key.empty()) save_tuning(options_.cache_dir, key, choices);
  }
  std::sort(plan.partitions.begin(), plan.partitions.end(),
            [](const Partition& a, const Partition& b) { return a.begin < b.begin; });
  for (const auto& c : choices)
    if (c.seconds.size() > 1) plan.choices.push_back(c);
  return plan;
}

}  // namespace

Result<ChosenPlan> choose_backends(const StepList& steps, const TypeLookup& types, const ChoiceOptions& options) {
  Chooser chooser(steps, types, options);
  return chooser.run();
}

}  // namespace ew
