#include "device/sysfs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace ew::device {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxFileBytes = 4u << 20;

std::string quoted(const std::string& text) {
  std::string s = text.size() > 40 ? text.substr(0, 40) + "..." : text;
  for (char& c : s)  // notes end up in JSON: keep them printable ASCII
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  return "'" + s + "'";
}

template <typename T>
Reading<T> unparsed(const std::string& path, const std::string& text) {
  Reading<T> r;
  r.provenance = Provenance::kUnparsed;
  r.note = unparsed_note(path, text);
  return r;
}

// Splits "policy10" into ("policy", 10) for natural ordering.
std::pair<std::string, long> split_number(const std::string& name) {
  size_t i = name.size();
  while (i > 0 && std::isdigit(static_cast<unsigned char>(name[i - 1]))) --i;
  long n = (i < name.size() && name.size() - i < 9) ? std::stol(name.substr(i)) : -1;
  return {name.substr(0, i), n};
}

}  // namespace

std::string unparsed_note(const std::string& path, const std::string& text) {
  return "unparsed " + quoted(text) + " in " + path;
}

std::string host_path(const std::string& root, const std::string& path) {
  if (root.empty() || root == "/") return path;
  std::string r = root;
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  return r + path;
}

Reading<std::string> read_text(const std::string& root, const std::string& path) {
  const std::string full = host_path(root, path);
  Reading<std::string> r;
  int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r.provenance = errno == ENOENT || errno == ENOTDIR ? Provenance::kUnknown : Provenance::kUnreadable;
    r.note = (r.provenance == Provenance::kUnknown ? "absent: " : "unreadable (" + std::string(std::strerror(errno)) + "): ") + path;
    return r;
  }
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r.provenance = Provenance::kUnreadable;
      r.note = "unreadable (" + std::string(std::strerror(errno)) + "): " + path;
      ::close(fd);
      return r;
    }
    if (n == 0 || text.size() >= kMaxFileBytes) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return known_reading(std::move(text), Provenance::kRead, path);
}

std::optional<int64_t> parse_int(const std::string& text) {
  size_t b = 0, e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  if (b == e) return std::nullopt;
  size_t i = b;
  bool negative = text[i] == '-';
  if (negative || text[i] == '+') ++i;
  if (i == e) return std::nullopt;
  int64_t v = 0;
  for (; i < e; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (v > (INT64_MAX - (c - '0')) / 10) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

Reading<int64_t> read_int(const std::string& root, const std::string& path) {
  auto text = read_text(root, path);
  if (!text.known()) return unknown_like<int64_t>(text);
  auto v = parse_int(text.value);
  if (!v) return unparsed<int64_t>(path, text.value);
  return known_reading(*v, Provenance::kRead, path);
}

Reading<double> read_scaled(const std::string& root, const std::string& path, double scale) {
  auto v = read_int(root, path);
  if (!v.known()) return unknown_like<double>(v);
  return known_reading(static_cast<double>(v.value) * scale, Provenance::kRead, path);
}

Reading<std::vector<int64_t>> read_int_list(const std::string& root, const std::string& path) {
  auto text = read_text(root, path);
  if (!text.known()) return unknown_like<std::vector<int64_t>>(text);
  std::vector<int64_t> values;
  std::istringstream in(text.value);
  std::string word;
  while (in >> word) {
    auto v = parse_int(word);
    if (!v) return unparsed<std::vector<int64_t>>(path, text.value);
    values.push_back(*v);
  }
  return known_reading(std::move(values), Provenance::kRead, path);
}

std::optional<std::vector<int>> parse_cpu_list(const std::string& text) {
  std::vector<int> cpus;
  std::string spaced = text;
  std::replace(spaced.begin(), spaced.end(), ',', ' ');
  std::istringstream in(spaced);
  std::string item;
  while (in >> item) {
    auto dash = item.find('-');
    auto lo = parse_int(item.substr(0, dash));
    auto hi = dash == std::string::npos ? lo : parse_int(item.substr(dash + 1));
    if (!lo || !hi || *lo < 0 || *hi < *lo || *hi > 65535) return std::nullopt;
    for (int64_t c = *lo; c <= *hi; ++c) cpus.push_back(static_cast<int>(c));
  }
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return cpus;
}

Reading<std::vector<int>> read_cpu_list(const std::string& root, const std::string& path) {
  auto text = read_text(root, path);
  if (!text.known()) return unknown_like<std::vector<int>>(text);
  auto cpus = parse_cpu_list(text.value);
  if (!cpus) return unparsed<std::vector<int>>(path, text.value);
  return known_reading(std::move(*cpus), Provenance::kRead, path);
}

bool path_exists(const std::string& root, const std::string& path) {
  std::error_code ec;
  return fs::exists(host_path(root, path), ec);
}

std::vector<std::string> list_entries(const std::string& root, const std::string& path, const std::string& prefix) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(host_path(root, path), ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0) names.push_back(name);
  }
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return split_number(a) < split_number(b);
  });
  return names;
}

const char* provenance_name(Provenance p) {
  switch (p) {
    case Provenance::kUnknown: return "unknown";
    case Provenance::kRead: return "read";
    case Provenance::kLibrary: return "cpuinfo";
    case Provenance::kUnreadable: return "unreadable";
    case Provenance::kUnparsed: return "unparsed";
  }
  return "unknown";
}

}  // namespace ew::device
