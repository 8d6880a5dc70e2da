#include "arguments.h"

#include <iostream>
#include <sstream>

namespace ew::cli {

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

Result<std::pair<std::string, std::string>> parse_input_spec(const std::string& spec) {
  auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    return invalid_argument("--input expects NAME=FILE, got '" + spec + "'");
  return std::make_pair(spec.substr(0, eq), spec.substr(eq + 1));
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
  if (precision == "fp32") o.fp16 = false;
  else if (precision == "fp16") o.fp16 = true;
  else return invalid_argument("--precision must be fp32 or fp16, got '" + precision + "'");
  if (backend == "auto") o.use_xnnpack = o.fast_kernels = true;
  else if (backend == "reference") o.use_xnnpack = o.fast_kernels = false;
  else return invalid_argument("--backend must be auto or reference, got '" + backend + "'");
  return o;
}

}  // namespace ew::cli
