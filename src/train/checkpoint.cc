// Checkpoint files: the atomic save, pruning, and finding the newest intact one.
#include "train/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ew::train {

namespace fs = std::filesystem;

namespace {

std::string checkpoint_name(int64_t step) { return "ckpt-" + std::to_string(step) + ".ewck"; }

// The step of "ckpt-<digits>.ewck"; -1 for any other name.
int64_t checkpoint_step(const std::string& name) {
  const std::string head = "ckpt-", tail = ".ewck";
  if (name.size() <= head.size() + tail.size() || name.compare(0, head.size(), head) != 0 ||
      name.compare(name.size() - tail.size(), tail.size(), tail) != 0)
    return -1;
  const std::string digits = name.substr(head.size(), name.size() - head.size() - tail.size());
  if (digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoll(digits);
}

bool is_temporary(const std::string& name) {
  return name.rfind(".ckpt-", 0) == 0 && name.find(".ewck.tmp.") != std::string::npos;
}

// (step, path) of every checkpoint in dir, newest first.
Result<std::vector<std::pair<int64_t, std::string>>> list_checkpoints(const std::string& dir) {
  std::error_code ec;
  std::vector<std::pair<int64_t, std::string>> out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const int64_t step = checkpoint_step(it->path().filename().string());
    if (step >= 0) out.emplace_back(step, it->path().string());
  }
  if (ec) return io_error("cannot list checkpoint directory '" + dir + "': " + ec.message());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  return out;
}

std::string errno_text() { return std::strerror(errno); }

Status write_all(int fd, const std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("cannot write '" + path + "': " + (n < 0 ? errno_text() : "no progress"));
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

// Creates `path` with `bytes`, fsynced; on failure removes it.
Status write_synced(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot create '" + path + "': " + errno_text());
  Status st = write_all(fd, bytes, path);
  if (st.is_ok() && ::fsync(fd) != 0) st = io_error("cannot fsync '" + path + "': " + errno_text());
  if (::close(fd) != 0 && st.is_ok()) st = io_error("cannot close '" + path + "': " + errno_text());
  if (!st.is_ok()) ::unlink(path.c_str());
  return st;
}

Status sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open directory '" + dir + "' to fsync it: " + errno_text());
  const bool ok = ::fsync(fd) == 0;
  const std::string err = ok ? "" : errno_text();
  ::close(fd);
  if (!ok) return io_error("cannot fsync directory '" + dir + "': " + err);
  return Status::ok();
}

// Keeps the newest `keep` checkpoints (always `written`) and drops stale temporaries.
Status prune(const std::string& dir, const std::string& written, int keep) {
  EW_ASSIGN_OR_RETURN(auto all, list_checkpoints(dir));
  int kept = 1;
  std::error_code ec;
  for (const auto& [step, path] : all) {
    if (path == written) continue;
    if (kept < keep) {
      ++kept;
      continue;
    }
    if (!fs::remove(path, ec) && ec)
      return io_error("saved '" + written + "', but cannot remove the old checkpoint '" + path + "': " + ec.message());
  }
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (is_temporary(name)) fs::remove(it->path(), ec);  // best effort: a crashed save's leftovers
  }
  return Status::ok();
}

}  // namespace

Status save_checkpoint(const std::string& dir, const TrainingState& s, int keep) {
  if (keep < 1) return invalid_argument("save_checkpoint: keep must be >= 1, got " + std::to_string(keep));
  EW_ASSIGN_OR_RETURN(std::string bytes, serialize_checkpoint(s));
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec))
    return io_error("cannot create checkpoint directory '" + dir + "': " + (ec ? ec.message() : "not a directory"));
  const std::string name = checkpoint_name(s.step);
  const std::string final_path = (fs::path(dir) / name).string();
  const std::string tmp_path = (fs::path(dir) / ("." + name + ".tmp." + std::to_string(::getpid()))).string();
  EW_RETURN_IF_ERROR(write_synced(tmp_path, bytes));
  if (::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
    const std::string err = errno_text();
    ::unlink(tmp_path.c_str());
    return io_error("cannot rename '" + tmp_path + "' to '" + final_path + "': " + err);
  }
  EW_RETURN_IF_ERROR(sync_directory(dir));
  return prune(dir, final_path, keep);
}

Result<TrainingState> read_checkpoint_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const Status st(errno == ENOENT ? StatusCode::kNotFound : StatusCode::kIoError,
                    "cannot open checkpoint '" + path + "': " + errno_text());
    return st;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return io_error("cannot read checkpoint '" + path + "'");
  return parse_checkpoint(ss.str(), path);
}

Result<TrainingState> load_latest_checkpoint(const std::string& dir, std::string* warning) {
  if (warning) warning->clear();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return not_found("checkpoint directory '" + dir + "' does not exist");
  EW_ASSIGN_OR_RETURN(auto all, list_checkpoints(dir));
  if (all.empty()) return not_found("no checkpoint (ckpt-<step>.ewck) in '" + dir + "'");
  std::vector<std::string> problems;  // "path: what is wrong", newest first
  for (const auto& [step, path] : all) {
    auto s = read_checkpoint_file(path);
    if (s.is_ok() && s->step != step)
      s = invalid_model(path + ": holds step " + std::to_string(s->step) + ", not the step its name says");
    if (!s.is_ok()) {
      problems.push_back(s.status().message());
      continue;
    }
    if (problems.empty()) return s;
    std::string skipped;
    for (const std::string& p : problems) skipped += (skipped.empty() ? "" : "; ") + p;
    if (!warning)
      return invalid_model("the newest checkpoint is corrupt (" + skipped + "); the older '" + path +
                           "' is intact, but falling back to it was not allowed");
    *warning = "skipped corrupt checkpoint(s): " + skipped + "; resumed from '" + path + "'";
    return s;
  }
  std::string all_problems;
  for (const std::string& p : problems) all_problems += (all_problems.empty() ? "" : "; ") + p;
  return invalid_model("no intact checkpoint in '" + dir + "': " + all_problems);
}

}  // namespace ew::train
