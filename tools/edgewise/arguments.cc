#include "arguments.h"

#include "backends/backend.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace ew::cli {

CLI::Option* add_bool_flag(CLI::App* cmd, const std::string& name, bool& value, const std::string& help) {
  const std::string base = name.substr(name.find_first_not_of('-'));
  return cmd->add_flag("--" + base + ",!--no-" + base, value, help + (value ? " (default; --no-" + base + " to turn off)" : ""));
}

Result<std::map<std::string, int64_t>> parse_dims(const std::vector<std::string>& specs) {
  std::map<std::string, int64_t> dims;
  for (const auto& spec : specs) {
    std::stringstream ss(spec);
    std::string item;
    while (std::getline(ss, item, ',')) {
      auto eq = item.find('=');
      if (eq == std::string::npos || eq == 0) return invalid_argument("--dims expects NAME=VALUE, got '" + item + "'");
      try {
        size_t used = 0;
        long long v = std::stoll(item.substr(eq + 1), &used);
        if (used != item.size() - eq - 1 || v < 0) throw std::invalid_argument("");
        dims[item.substr(0, eq)] = v;
      } catch (const std::exception&) {
        return invalid_argument("--dims value in '" + item + "' is not a non-negative integer");
      }
    }
  }
  return dims;
}

Result<std::pair<std::string, std::string>> parse_input_spec(const std::string& spec,
                                                             const std::vector<std::string>& input_names) {
  if (spec.empty()) return invalid_argument("--input expects NAME=FILE or FILE, got an empty value");
  auto eq = spec.find('=');
  if (eq != std::string::npos) {
    std::string name = spec.substr(0, eq);
    bool known = std::find(input_names.begin(), input_names.end(), name) != input_names.end();
    if (known && eq + 1 < spec.size()) return std::make_pair(name, spec.substr(eq + 1));
    std::error_code ec;
    if (!std::filesystem::exists(spec, ec)) {
      std::string names;
      for (const auto& n : input_names) names += (names.empty() ? "" : ", ") + n;
      return invalid_argument("--input '" + spec + "': '" + name + "' is not an input of the model (inputs: " + names +
                              ") and no file has that name");
    }
  }
  return std::make_pair(std::string(), spec);
}

int report_error(const Status& s) {
  std::cerr << "error: " << s.to_string() << "\n";
  return s.code() == StatusCode::kInternal ? 3 : 2;
}

namespace {
std::string scaled(double v, double base, const char* const* units, int n) {
  int u = 0;
  while (v >= base && u < n - 1) v /= base, ++u;
  char buf[64];
  std::snprintf(buf, sizeof buf, u ? "%.2f %s" : "%.0f%s", v, units[u]);
  return buf;
}
}  // namespace

std::string human_count(double v) {
  static const char* const units[] = {"", "K", "M", "G", "T"};
  return scaled(v, 1000, units, 5);
}

std::string human_bytes(double v) {
  static const char* const units[] = {" B", "KiB", "MiB", "GiB", "TiB"};
  return scaled(v, 1024, units, 5);
}

}  // namespace ew::cli

namespace ew::cli {

Result<SessionOptions> session_options(int threads, const std::string& level, const std::string& precision,
                                       const std::string& backend) {
  SessionOptions o;
  if (threads < 1) return invalid_argument("--threads must be at least 1, got " + std::to_string(threads));
  o.threads = threads;
  if (level == "O0" || level == "0") o.opt_level = 0;
  else if (level == "O1" || level == "1") o.opt_level = 1;
  else if (level == "O2" || level == "2") o.opt_level = 2;
  else return invalid_argument("--level must be O0, O1 or O2, got '" + level + "'");
  if (precision == "fp16") o.fp16 = true;
  else if (precision == "bf16") o.bf16 = true;
  else if (precision != "fp32") return invalid_argument("--precision must be fp32, fp16 or bf16, got '" + precision + "'");
  if (backend == "reference") {
    o.use_backends = o.fast_kernels = false;
  } else if (backend == "ours") {
    o.use_backends = false;
  } else if (backend == "auto" || find_backend(backend)) {
    o.backend = backend;
  } else {
    std::string names = "auto, ours, reference";
    for (const Backend* b : available_backends()) names += std::string(", ") + b->name();
    return invalid_argument("--backend must be one of " + names + " here, got '" + backend + "'");
  }
  return o;
}

void add_session_options(CLI::App* cmd, SessionArgs& a) {
  cmd->add_option("--threads", a.threads, "Intra-op threads")->capture_default_str();
  cmd->add_option("--level", a.level, "Graph optimization level O0 | O1 | O2")->capture_default_str();
  cmd->add_option("--precision", a.precision,
                  "fp32 | fp16 (XNNPACK partitions in fp16 where the CPU has it) | bf16 (oneDNN partitions in bf16\n"
                  "where the CPU has AVX512-BF16 or AMX; fp32 elsewhere)")
      ->capture_default_str();
  cmd->add_option("--backend", a.backend,
                  "auto (the fastest per partition, measured at load and cached) | xnnpack | onednn | ours (our kernels) "
                  "| reference")
      ->capture_default_str();
}

}  // namespace ew::cli
