// Parsing of argument forms shared by several subcommands.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/status.h"
#include "runtime/session.h"

namespace ew::cli {

// "N=1,S=32" (also accepts repeated options) -> {N:1, S:32}.
Result<std::map<std::string, int64_t>> parse_dims(const std::vector<std::string>& specs);
// "NAME=FILE" -> {NAME, FILE} when NAME is one of `input_names`; a bare "FILE"
// -> {"", FILE}, which binds by position.
Result<std::pair<std::string, std::string>> parse_input_spec(const std::string& spec,
                                                             const std::vector<std::string>& input_names);
// Session options from the shared CLI spellings: level "O0"|"O1"|"O2" (or 0-2),
// precision "fp32"|"fp16"|"bf16", backend "auto" (the fastest of the backends and
// our kernels, measured per partition) | a backend's name ("xnnpack", "onednn":
// that library where it applies, our kernels elsewhere) | "ours" (our fast
// kernels and the reference ones) | "reference" (reference kernels only).
Result<SessionOptions> session_options(int threads, const std::string& level, const std::string& precision,
                                       const std::string& backend);
// The same options as flags (--threads, --level, --precision, --backend), for
// every subcommand that runs a model.
struct SessionArgs {
  int threads = 1;
  std::string level = "O2", precision = "fp32", backend = "auto";
};
void add_session_options(CLI::App* cmd, SessionArgs& a);
inline Result<SessionOptions> session_options(const SessionArgs& a) {
  return session_options(a.threads, a.level, a.precision, a.backend);
}
// A boolean option the way users type it: the bare "--name" sets it, "--no-name"
// or "--name=false" clears it. `value` holds the default.
CLI::Option* add_bool_flag(CLI::App* cmd, const std::string& name, bool& value, const std::string& help);
// Prints "error: ..." to stderr and returns the exit code for a failed Status.
int report_error(const Status& s);
// 1234567 -> "1.23 M"
std::string human_count(double v);
std::string human_bytes(double v);

}  // namespace ew::cli
