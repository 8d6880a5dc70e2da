#include "distill/teacher.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "ir/onnx_export.h"
#include "runtime/session.h"

namespace ew::distill {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kTeacherBatch = 256;

uint64_t fnv1a(uint64_t h, const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

Result<std::string> cache_key(const Model& teacher, const Tensor& inputs) {
  EW_ASSIGN_OR_RETURN(std::string bytes, serialize_onnx(teacher));
  uint64_t h = fnv1a(0xcbf29ce484222325ull, bytes.data(), bytes.size());
  const std::string shape = inputs.describe();
  h = fnv1a(h, shape.data(), shape.size());
  h = fnv1a(h, inputs.raw(), inputs.nbytes());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string(hex);
}

// The .npy 1.0 header of a float32 C-order [rows, classes] array.
std::string npy_header(int64_t rows, int64_t classes) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                     std::to_string(classes) + "), }";
  const size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string h = "\x93NUMPY";
  h += '\x01';
  h += '\x00';
  h += static_cast<char>(dict.size() & 0xff);
  h += static_cast<char>(dict.size() >> 8);
  return h + dict;
}

// Rows [begin, end) of `t` as a new tensor.
Result<Tensor> slice_rows(const Tensor& t, int64_t begin, int64_t end) {
  Shape s = t.shape();
  s[0] = end - begin;
  EW_ASSIGN_OR_RETURN(Tensor out, Tensor::create(t.dtype(), s));
  const size_t row = t.nbytes() / static_cast<size_t>(t.dim(0));
  std::memcpy(out.raw(), static_cast<const uint8_t*>(t.raw()) + static_cast<size_t>(begin) * row, out.nbytes());
  return out;
}

class TeacherRunner {
 public:
  static Result<std::shared_ptr<TeacherRunner>> create(const Model& teacher, int threads) {
    if (teacher.graph.inputs.empty() || teacher.graph.outputs.empty())
      return invalid_argument("the teacher needs an input and an output");
    SessionOptions so;
    so.threads = threads;
    auto r = std::make_shared<TeacherRunner>();
    r->input_ = teacher.graph.inputs[0].name;
    EW_ASSIGN_OR_RETURN(r->session_, Session::create(teacher, so));
    return r;
  }
  Result<Tensor> logits(const Tensor& inputs) const {
    EW_ASSIGN_OR_RETURN(std::vector<Tensor> out, session_->run({{input_, inputs}}));
    const Tensor& y = out[0];
    if (y.dtype() != DType::kFloat32 || y.rank() != 2 || y.dim(0) != inputs.dim(0))
      return invalid_argument("the teacher's output " + y.describe() + " is not logits [" + std::to_string(inputs.dim(0)) +
                              ", classes]");
    return y;
  }

 private:
  std::string input_;
  std::unique_ptr<Session> session_;
};

// Writes the teacher's logits for every row to `tmp`.
Status write_logits(const TeacherRunner& runner, const Tensor& inputs, const std::string& tmp, int64_t& classes,
                    const std::function<void(int64_t, int64_t)>& progress) {
  const int64_t n = inputs.dim(0);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(tmp.c_str(), "wb"), std::fclose);
  if (!f) return invalid_argument("cannot write the teacher cache " + tmp);
  for (int64_t b = 0; b < n; b += kTeacherBatch) {
    EW_ASSIGN_OR_RETURN(Tensor x, slice_rows(inputs, b, std::min(n, b + kTeacherBatch)));
    EW_ASSIGN_OR_RETURN(Tensor y, runner.logits(x));
    if (b == 0) {
      classes = y.dim(1);
      const std::string h = npy_header(n, classes);
      std::fwrite(h.data(), 1, h.size(), f.get());
    } else if (y.dim(1) != classes) {
      return invalid_argument("the teacher's number of classes changed between batches");
    }
    if (std::fwrite(y.raw(), 1, y.nbytes(), f.get()) != y.nbytes()) return invalid_argument("cannot write " + tmp);
    if (progress) progress(std::min(n, b + kTeacherBatch), n);
  }
  if (std::fflush(f.get()) != 0 || fsync(fileno(f.get())) != 0) return invalid_argument("cannot write " + tmp);
  return Status::ok();
}

// The logits of every row in `path`, through a temporary file and a rename (removed on failure).
Status compute_cache(const TeacherRunner& runner, const Tensor& inputs, const std::string& path, int64_t& classes,
                     const std::function<void(int64_t, int64_t)>& progress) {
  const std::string tmp = path + "." + std::to_string(getpid()) + ".tmp";
  Status s = write_logits(runner, inputs, tmp, classes, progress);
  std::error_code ec;
  if (s.is_ok()) {
    fs::rename(tmp, path, ec);
    if (ec) s = invalid_argument("cannot rename " + tmp + " to " + path + ": " + ec.message());
  }
  if (!s.is_ok()) fs::remove(tmp, ec);
  return s;
}

// The classes of a cache file holding [rows, C] float32 logits, or -1 when it is not one.
int64_t cached_classes(const std::string& path, int64_t rows) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return -1;
  char head[10];
  const bool read = std::fread(head, 1, sizeof head, f) == sizeof head;
  std::fclose(f);
  if (!read || std::memcmp(head, "\x93NUMPY\x01\x00", 8) != 0) return -1;
  const size_t header = 10 + (static_cast<uint8_t>(head[8]) | static_cast<uint8_t>(head[9]) << 8);
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size <= header || (size - header) % (4 * static_cast<size_t>(rows)) != 0) return -1;
  const int64_t classes = static_cast<int64_t>((size - header) / (4 * static_cast<size_t>(rows)));
  std::string expected = npy_header(rows, classes), actual(expected.size(), '\0');
  f = std::fopen(path.c_str(), "rb");
  const bool same = f && std::fread(actual.data(), 1, actual.size(), f) == actual.size() && actual == expected;
  if (f) std::fclose(f);
  return same ? classes : -1;
}

// Reads a batch's rows from the cache file.
class CacheReader {
 public:
  CacheReader(int fd, int64_t rows, int64_t classes, size_t header)
      : fd_(fd), rows_(rows), classes_(classes), header_(header) {}
  ~CacheReader() { close(fd_); }
  Result<Tensor> read(const std::vector<int64_t>& index) const {
    EW_ASSIGN_OR_RETURN(Tensor t, Tensor::create(DType::kFloat32, {static_cast<int64_t>(index.size()), classes_}));
    const size_t row = static_cast<size_t>(classes_) * sizeof(float);
    for (size_t i = 0; i < index.size(); ++i) {
      if (index[i] < 0 || index[i] >= rows_) return invalid_argument("sample index out of the teacher cache's range");
      const off_t at = static_cast<off_t>(header_ + static_cast<size_t>(index[i]) * row);
      if (pread(fd_, static_cast<uint8_t*>(t.raw()) + i * row, row, at) != static_cast<ssize_t>(row))
        return invalid_argument("cannot read the teacher cache");
    }
    return t;
  }

 private:
  int fd_;
  int64_t rows_, classes_;
  size_t header_;
};

}  // namespace

Result<TeacherFn> cached_teacher(const Model& teacher, const Tensor& inputs, const std::string& dir, int threads,
                                 TeacherCache* info, const std::function<void(int64_t, int64_t)>& progress) {
  if (!inputs.defined() || inputs.rank() == 0 || inputs.dim(0) == 0) return invalid_argument("no inputs for the teacher");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return invalid_argument("cannot create the teacher cache folder " + dir + ": " + ec.message());
  EW_ASSIGN_OR_RETURN(std::string key, cache_key(teacher, inputs));
  TeacherCache c;
  c.path = (fs::path(dir) / ("teacher-" + key + ".npy")).string();
  c.rows = inputs.dim(0);
  c.classes = cached_classes(c.path, c.rows);
  c.reused = c.classes > 0;
  if (!c.reused) {
    const auto t0 = std::chrono::steady_clock::now();
    EW_ASSIGN_OR_RETURN(auto runner, TeacherRunner::create(teacher, threads));
    EW_RETURN_IF_ERROR(compute_cache(*runner, inputs, c.path, c.classes, progress));
    c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  const int fd = open(c.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return invalid_argument("cannot open the teacher cache " + c.path);
  auto reader = std::make_shared<CacheReader>(fd, c.rows, c.classes, npy_header(c.rows, c.classes).size());
  if (info) *info = c;
  return TeacherFn([reader](const std::vector<int64_t>& index, const Tensor&) { return reader->read(index); });
}

Result<TeacherFn> teacher_alongside(const Model& teacher, int threads) {
  EW_ASSIGN_OR_RETURN(auto runner, TeacherRunner::create(teacher, threads));
  return TeacherFn([runner](const std::vector<int64_t>&, const Tensor& inputs) { return runner->logits(inputs); });
}

}  // namespace ew::distill
