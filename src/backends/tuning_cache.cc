#include "backends/tuning_cache.h"

#include <cpuinfo.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

namespace ew {

namespace {

namespace fs = std::filesystem;

// Bump when the choice algorithm changes what a stored choice means.
constexpr int kTuningFormat = 4;

// FNV-1a, 64-bit: stable across runs and builds (std::hash is not).
struct Hasher {
  uint64_t h = 1469598103934665603ull;
  void add(const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
  }
  void add(int64_t v) { add(std::to_string(v)); }
};

// Timings from a sanitizer or debug build say nothing about a release build's.
constexpr const char* kBuildFlavor =
#if defined(__SANITIZE_ADDRESS__)
    "asan"
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    "asan"
#elif defined(NDEBUG)
    "release"
#else
    "debug"
#endif
#elif defined(NDEBUG)
    "release"
#else
    "debug"
#endif
    ;

std::string cpu_identity() {
  std::string id = "unknown cpu";
  if (cpuinfo_initialize()) {
    const cpuinfo_package* p = cpuinfo_get_package(0);
    id = std::string(p ? p->name : "") + " cores " + std::to_string(cpuinfo_get_cores_count()) + " uarch " +
         std::to_string(cpuinfo_get_cores_count() ? static_cast<int64_t>(cpuinfo_get_core(0)->uarch) : 0);
  }
  return id;
}

void add_attribute(Hasher& h, const std::string& name, const Attribute& a) {
  h.add(name);
  h.add(static_cast<int64_t>(a.kind));
  h.add(std::to_string(a.f) + "/" + std::to_string(a.i) + "/" + a.s);
  for (float f : a.floats) h.add(std::to_string(f));
  for (int64_t i : a.ints) h.add(i);
  for (const auto& s : a.strings) h.add(s);
  if (a.t.defined())
    for (int64_t d : a.t.shape()) h.add(d);
}

void add_type(Hasher& h, const TypeLookup& types, const std::string& name) {
  if (name.empty()) return h.add("-");
  if (const Tensor* c = types.constant(name)) {
    h.add("const");
    h.add(dtype_name(c->dtype()));
    for (int64_t d : c->shape()) h.add(d);
    if (c->numel() <= 8) h.add(std::string(static_cast<const char*>(c->raw()), c->nbytes()));  // shapes, axes
    return;
  }
  const ValueType* t = types.type(name);
  h.add(t ? t->to_string() : "?");
}

}  // namespace

std::string tuning_key(const StepList& steps, const TypeLookup& types, const BackendOptions& options,
                       const std::vector<const Backend*>& backends) {
  Hasher h;
  h.add(kTuningFormat);
  h.add(kBuildFlavor);
  h.add(cpu_identity());
  h.add(options.threads);
  h.add(options.fp16 ? "fp16" : options.bf16 ? "bf16" : "fp32");
  for (const Backend* b : backends) h.add(b->version());
  for (const Node* node : steps.nodes) {
    h.add(node->domain + "::" + node->op_type);
    for (const auto& [name, attr] : node->attributes) add_attribute(h, name, attr);
    for (const auto& in : node->inputs) add_type(h, types, in);
    for (const auto& out : node->outputs) add_type(h, types, out);
    // Which backends take the node: a build that lowers more ops forms other partitions.
    for (const Backend* b : backends) h.add(b->available() && b->supports(*node, types) ? 1 : 0);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h.h));
  return hex;
}

std::string default_tuning_cache_dir() {
  if (const char* env = std::getenv("EW_TUNING_CACHE"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/edgewise/tuning";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/edgewise/tuning";
  return "";
}

std::vector<BackendChoice> load_tuning(const std::string& dir, const std::string& key) {
  if (dir.empty()) return {};
  std::ifstream in(fs::path(dir) / (key + ".json"));
  if (!in) return {};
  return tuning_from_json(nlohmann::json::parse(in, nullptr, false), key);
}

std::vector<BackendChoice> tuning_from_json(const nlohmann::json& j, const std::string& key) {
  std::vector<BackendChoice> out;
  try {
    if (j.is_discarded() || !j.is_object() || j.value("key", "") != key) return out;
    for (const auto& c : j.at("choices")) {
      BackendChoice b;
      b.begin = c.at("begin").get<int>();
      b.end = c.at("end").get<int>();
      b.first_node = c.at("first_node").get<std::string>();
      b.nodes = c.at("nodes").get<int>();
      b.chosen = c.at("chosen").get<std::string>();
      for (const auto& [name, s] : c.at("seconds").items()) b.seconds[name] = s.get<double>();
      if (b.begin < 0 || b.end <= b.begin) return {};
      out.push_back(std::move(b));
    }
  } catch (const nlohmann::json::exception&) {
    return {};
  }
  return out;
}

void save_tuning(const std::string& dir, const std::string& key, const std::vector<BackendChoice>& choices) {
  if (dir.empty()) return;
  nlohmann::json j;
  j["key"] = key;
  j["choices"] = nlohmann::json::array();
  for (const auto& c : choices)
    j["choices"].push_back({{"begin", c.begin}, {"end", c.end}, {"first_node", c.first_node}, {"nodes", c.nodes},
                            {"chosen", c.chosen}, {"seconds", c.seconds}});
  std::error_code ec;
  fs::create_directories(dir, ec);
  const fs::path final_path = fs::path(dir) / (key + ".json");
  const fs::path tmp = fs::path(dir) / (key + ".json." + std::to_string(getpid()) + ".tmp");
  {
    std::ofstream out(tmp);
    if (!out) return;
    out << j.dump(1) << "\n";
    if (!out) return;
  }
  fs::rename(tmp, final_path, ec);
  if (ec) fs::remove(tmp, ec);
}

}  // namespace ew
