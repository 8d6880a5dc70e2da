// Parsing of argument forms shared by several subcommands.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "runtime/session.h"

namespace ew::cli {

// "N=1,S=32" (also accepts repeated options) -> {N:1, S:32}.
Result<std::map<std::string, int64_t>> parse_dims(const std::vector<std::string>& specs);
// "NAME=FILE" -> {NAME, FILE}.
Result<std::pair<std::string, std::string>> parse_input_spec(const std::string& spec);
// Session options from the shared CLI spellings: level "O0"|"O1"|"O2" (or 0-2),
// precision "fp32"|"fp16", backend "auto" (XNNPACK and fast kernels where they apply)
// | "reference" (reference kernels only).
Result<SessionOptions> session_options(int threads, const std::string& level, const std::string& precision,
                                       const std::string& backend);
// Prints "error: ..." to stderr and returns the exit code for a failed Status.
int report_error(const Status& s);
// 1234567 -> "1.23 M"
std::string human_count(double v);
std::string human_bytes(double v);

}  // namespace ew::cli
