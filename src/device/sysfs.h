// Small readers for /proc and /sys files under a root prefix.
//
// Every path is absolute as on the device ("/sys/class/thermal/..."); `root`
// is prepended so tests can point the readers at a fixture tree. Missing
// files give Provenance::kUnknown, files that fail to open or read give
// kUnreadable, and contents that do not parse give kUnparsed with a note
// quoting them. Nothing here throws or aborts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "device/reading.h"

namespace ew::device {

// root + path ("/" or "" leaves path unchanged).
std::string host_path(const std::string& root, const std::string& path);

// The file's text with trailing whitespace removed (at most 4 MiB).
Reading<std::string> read_text(const std::string& root, const std::string& path);
// A single integer (decimal), e.g. "1500000\n".
Reading<int64_t> read_int(const std::string& root, const std::string& path);
// A single integer times `scale`, e.g. millidegrees * 0.001 -> degrees.
Reading<double> read_scaled(const std::string& root, const std::string& path, double scale);
// Whitespace-separated integers, e.g. scaling_available_frequencies.
Reading<std::vector<int64_t>> read_int_list(const std::string& root, const std::string& path);
// A CPU list such as "0-3,6" or "0 1 2 3" (related_cpus uses spaces).
Reading<std::vector<int>> read_cpu_list(const std::string& root, const std::string& path);

bool path_exists(const std::string& root, const std::string& path);
// Names of entries of directory `path` starting with `prefix`, in natural
// order (policy2 before policy10). Empty when the directory is absent.
std::vector<std::string> list_entries(const std::string& root, const std::string& path, const std::string& prefix);

// "unparsed 'TEXT' in PATH" with TEXT cut to 40 printable ASCII characters.
std::string unparsed_note(const std::string& path, const std::string& text);

// Parsers used by the readers (exposed for tests).
std::optional<int64_t> parse_int(const std::string& text);
std::optional<std::vector<int>> parse_cpu_list(const std::string& text);

}  // namespace ew::device
