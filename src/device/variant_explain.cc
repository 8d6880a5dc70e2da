// The text (--explain) and JSON forms of a Selection (variant_selection.h).
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "device/variant_selection.h"

namespace ew {
namespace {

std::string fmt(const char* format, double v) {
  char buf[96];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string mib(int64_t bytes) { return fmt("%.3f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0)); }

std::string term_text(const char* name, const ScoreTerm& t) {
  if (!t.used) return std::string(name) + " (left out: no accuracies)";
  return std::string(name) + " " + fmt("%.4g", t.value) + " / " + fmt("%.4g", t.best) + " = " +
         fmt("%.3f", t.normalized) + " x " + fmt("%g", t.weight) + " = " + fmt("%.3f", t.contribution);
}

nlohmann::json term_json(const ScoreTerm& t) {
  return {{"value", t.value}, {"best", t.best}, {"normalized", t.normalized}, {"weight", t.weight},
          {"contribution", t.contribution}, {"used", t.used}};
}

void explain_variant(const VariantVerdict& v, std::ostringstream& out) {
  const VariantMetrics& m = v.metrics;
  out << m.name << "\n";
  out << "  latency    " << fmt("%.4f ms", m.latency_ms)
      << (m.latency_measured ? " (measured P50 on this host)" : " (predicted: roofline)") << "\n";
  out << "  energy     " << fmt("%.4f mJ", m.energy_mj) << " per inference (modelled)\n";
  out << "  memory     " << mib(m.memory_bytes()) << " (parameters " << mib(m.param_bytes) << " + arena "
      << mib(m.arena_bytes) << ")\n";
  out << "  file       " << fmt("%.1f KiB", static_cast<double>(m.file_bytes) / 1024.0) << " (update size)\n";
  if (m.accuracy)
    out << "  accuracy   " << fmt("%.4f", *m.accuracy) << (m.accuracy_measured ? " (measured)" : " (given)") << "\n";
  if (!v.kept()) {
    for (const std::string& why : v.violations) out << "  REJECTED   " << why << "\n";
    return;
  }
  out << "  rank " << v.rank << ", score " << fmt("%.3f", v.score) << " = sum of value/best x weight:\n";
  out << "    " << term_text("latency", v.latency) << "\n";
  out << "    " << term_text("energy", v.energy) << "\n";
  out << "    " << term_text("bandwidth", v.bandwidth) << "\n";
  out << "    " << term_text("cost (top-1 error)", v.cost) << "\n";
}

}  // namespace

std::string explain_selection(const Selection& s) {
  std::ostringstream out;
  const ObjectiveWeights& w = s.weights;
  out << "objective  " << fmt("%g", w.latency) << "·Latency + " << fmt("%g", w.energy) << "·Energy + "
      << fmt("%g", w.bandwidth) << "·Bandwidth + " << fmt("%g", w.cost)
      << "·Cost, each term = value / best kept value (lower score is better)\n";
  out << "           Cost = top-1 error (1 - accuracy)" << (s.cost_used ? "" : "; left out: no accuracies given")
      << "; Bandwidth = model file bytes\n\n";
  for (const VariantVerdict& v : s.variants) {
    explain_variant(v, out);
    out << "\n";
  }
  if (const VariantVerdict* c = s.chosen())
    out << "selected   " << c->metrics.name << " (score " << fmt("%.3f", c->score) << ")\n";
  else
    out << "selected   none: every variant breaks a constraint\n";
  return out.str();
}

nlohmann::json to_json(const Selection& s) {
  nlohmann::json variants = nlohmann::json::array();
  for (const VariantVerdict& v : s.variants) {
    const VariantMetrics& m = v.metrics;
    nlohmann::json j{{"name", m.name},
                     {"latency_ms", m.latency_ms},
                     {"latency_method", m.latency_measured ? "measured" : "roofline"},
                     {"energy_mj", m.energy_mj},
                     {"memory_bytes", m.memory_bytes()},
                     {"param_bytes", m.param_bytes},
                     {"arena_bytes", m.arena_bytes},
                     {"file_bytes", m.file_bytes},
                     {"accuracy", m.accuracy ? nlohmann::json(*m.accuracy) : nlohmann::json(nullptr)},
                     {"kept", v.kept()},
                     {"violations", v.violations},
                     {"rank", v.rank}};
    if (v.kept()) {
      j["score"] = v.score;
      j["terms"] = {{"latency", term_json(v.latency)}, {"energy", term_json(v.energy)},
                    {"bandwidth", term_json(v.bandwidth)}, {"cost", term_json(v.cost)}};
    }
    variants.push_back(j);
  }
  const SelectionConstraints& k = s.constraints;
  auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json constraints{{"max_latency_ms", opt(k.max_latency_ms)}, {"max_energy_mj", opt(k.max_energy_mj)},
                             {"max_memory_mib", opt(k.max_memory_mib)}, {"min_accuracy", opt(k.min_accuracy)},
                             {"device_memory_bytes", k.device_memory_bytes}};
  const VariantVerdict* c = s.chosen();
  return {{"selected", c ? nlohmann::json(c->metrics.name) : nlohmann::json(nullptr)},
          {"device", s.constraints.device},
          {"weights",
           {{"latency", s.weights.latency}, {"energy", s.weights.energy}, {"bandwidth", s.weights.bandwidth},
            {"cost", s.weights.cost}}},
          {"cost_definition", "top-1 error (1 - accuracy), relative to the best kept variant"},
          {"cost_used", s.cost_used},
          {"constraints", constraints},
          {"variants", variants}};
}

}  // namespace ew
