// Parsing of argument forms shared by several subcommands.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace ew::cli {

// "N=1,S=32" (also accepts repeated options) -> {N:1, S:32}.
Result<std::map<std::string, int64_t>> parse_dims(const std::vector<std::string>& specs);
// "NAME=FILE" -> {NAME, FILE}.
Result<std::pair<std::string, std::string>> parse_input_spec(const std::string& spec);
// Prints "error: ..." to stderr and returns the exit code for a failed Status.
int report_error(const Status& s);
// 1234567 -> "1.23 M"
std::string human_count(double v);
std::string human_bytes(double v);

}  // namespace ew::cli
