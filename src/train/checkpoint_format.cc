// The .ewck byte format (checkpoint.h): serialize_checkpoint and parse_checkpoint.
#include <zlib.h>

#include <bit>
#include <cstdio>
#include <cstring>
#include <random>
#include <sstream>

#include "train/checkpoint.h"

namespace ew::train {

namespace {

static_assert(std::endian::native == std::endian::little, "the .ewck format stores little-endian bytes");

constexpr char kMagic[4] = {'E', 'W', 'C', 'K'};
constexpr size_t kFrameHead = 16;  // magic, version, file size
constexpr size_t kFrameTail = 4;   // CRC-32
constexpr uint32_t kMaxNameBytes = 4096;
constexpr uint32_t kMaxRank = 32;

// One declarative list of the sections: tag, what error messages call it.
#define EW_CHECKPOINT_SECTIONS(X)      \
  X(kHead, "HEAD", "header")           \
  X(kParameters, "PARM", "parameters") \
  X(kBuffers, "BUFF", "buffers")       \
  X(kOptimizer, "OPTM", "optimizer")   \
  X(kRng, "RNGS", "rng_state")         \
  X(kOrder, "ORDR", "data_order")      \
  X(kFingerprint, "FING", "fingerprint") \
  X(kMeta, "META", "meta_json")

enum Section {
#define EW_SECTION_ENUM(e, tag, what) e,
  EW_CHECKPOINT_SECTIONS(EW_SECTION_ENUM)
#undef EW_SECTION_ENUM
  kSectionCount
};
constexpr const char* kTags[] = {
#define EW_SECTION_TAG(e, tag, what) tag,
    EW_CHECKPOINT_SECTIONS(EW_SECTION_TAG)
#undef EW_SECTION_TAG
};
constexpr const char* kSectionNames[] = {
#define EW_SECTION_NAME(e, tag, what) what,
    EW_CHECKPOINT_SECTIONS(EW_SECTION_NAME)
#undef EW_SECTION_NAME
};

class Writer {
 public:
  template <typename T>
  void put(T v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void bytes(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  size_t begin(Section s) {  // returns where the payload size goes
    out_.append(kTags[s], 4);
    put<uint64_t>(0);
    return out_.size() - 8;
  }
  void end(size_t at) { patch<uint64_t>(at, out_.size() - at - 8); }
  template <typename T>
  void patch(size_t at, T v) { std::memcpy(&out_[at], &v, sizeof v); }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

// Bounds-checked reads from a byte range: every read fails instead of overrunning.
class Reader {
 public:
  Reader(const char* p, size_t n) : p_(p), n_(n) {}
  size_t left() const { return n_ - pos_; }
  template <typename T>
  bool get(T* v) { return take(v, sizeof *v); }
  bool take(void* dst, size_t k) {
    const char* src;
    if (!view(k, &src)) return false;
    if (k) std::memcpy(dst, src, k);
    return true;
  }
  bool view(size_t k, const char** at) {
    if (k > left()) return false;
    *at = p_ + pos_;
    pos_ += k;
    return true;
  }

 private:
  const char* p_;
  size_t n_, pos_ = 0;
};

Status check_rng_state(const std::string& text) {
  if (text.empty()) return Status::ok();
  std::istringstream in(text);
  std::mt19937_64 engine;
  in >> engine;
  if (in.fail()) return invalid_argument("rng_state is not a std::mt19937_64 state");
  in >> std::ws;
  if (!in.eof()) return invalid_argument("rng_state has text after the std::mt19937_64 state");
  return Status::ok();
}

Status check_counters(const TrainingState& s) {
  const std::pair<const char*, int64_t> counters[] = {
      {"step", s.step}, {"epoch", s.epoch}, {"batch_in_epoch", s.batch_in_epoch}, {"optimizer_steps", s.optimizer_steps}};
  for (const auto& [name, v] : counters)
    if (v < 0) return invalid_argument(std::string(name) + " is negative (" + std::to_string(v) + ")");
  for (size_t i = 0; i < s.data_order.size(); ++i)
    if (s.data_order[i] < 0)
      return invalid_argument("data_order[" + std::to_string(i) + "] is negative (" + std::to_string(s.data_order[i]) + ")");
  return check_rng_state(s.rng_state);
}

Status write_tensors(Writer& w, Section section, const std::map<std::string, Tensor>& tensors) {
  if (tensors.size() > UINT32_MAX) return invalid_argument(std::string(kSectionNames[section]) + ": too many tensors");
  const size_t at = w.begin(section);
  w.put<uint32_t>(static_cast<uint32_t>(tensors.size()));
  for (const auto& [name, t] : tensors) {
    const std::string where = std::string(kSectionNames[section]) + ": tensor '" + name + "'";
    if (!t.defined() || !t.raw()) return invalid_argument(where + " is undefined");
    if (name.size() > kMaxNameBytes) return invalid_argument(where + ": name longer than 4096 bytes");
    if (t.rank() > kMaxRank) return invalid_argument(where + ": rank over 32");
    w.put<uint32_t>(static_cast<uint32_t>(name.size()));
    w.bytes(name.data(), name.size());
    w.put<int32_t>(static_cast<int32_t>(t.dtype()));
    w.put<uint32_t>(static_cast<uint32_t>(t.rank()));
    for (int64_t d : t.shape()) w.put<int64_t>(d);
    w.put<uint64_t>(t.nbytes());
    w.bytes(t.raw(), t.nbytes());
  }
  w.end(at);
  return Status::ok();
}

void write_text(Writer& w, Section section, const std::string& text) {
  const size_t at = w.begin(section);
  w.bytes(text.data(), text.size());
  w.end(at);
}

Result<Tensor> read_tensor(Reader& r, std::string* name) {
  uint32_t name_size = 0, rank = 0;
  int32_t onnx_type = 0;
  if (!r.get(&name_size)) return invalid_model("truncated before a tensor name");
  if (name_size > kMaxNameBytes) return invalid_model("a tensor name of " + std::to_string(name_size) + " bytes (limit 4096)");
  name->resize(name_size);
  if (!r.take(name->data(), name_size)) return invalid_model("truncated tensor name");
  const std::string where = "tensor '" + *name + "': ";
  if (!r.get(&onnx_type) || !r.get(&rank)) return invalid_model(where + "truncated");
  if (rank > kMaxRank) return invalid_model(where + "rank " + std::to_string(rank) + " is over 32");
  Shape shape(rank);
  for (int64_t& d : shape)
    if (!r.get(&d)) return invalid_model(where + "truncated shape");
  auto dtype = dtype_from_onnx(onnx_type);
  if (!dtype.is_ok()) return invalid_model(where + dtype.status().message());
  auto numel = shape_numel(shape);
  if (!numel) return invalid_model(where + "invalid shape " + shape_to_string(shape));
  uint64_t size = 0;
  if (!r.get(&size)) return invalid_model(where + "truncated");
  const uint64_t elem = dtype_size(*dtype);
  if (static_cast<uint64_t>(*numel) > UINT64_MAX / elem || size != static_cast<uint64_t>(*numel) * elem)
    return invalid_model(where + std::to_string(size) + " data bytes for " + dtype_name(*dtype) + shape_to_string(shape));
  const char* data = nullptr;
  if (!r.view(size, &data)) return invalid_model(where + "truncated data");
  auto t = Tensor::create(*dtype, shape);
  if (!t.is_ok()) return t.status().with_context(where);
  if (size) std::memcpy(t->raw(), data, size);
  if (*dtype == DType::kBool)
    for (uint64_t i = 0; i < size; ++i)
      if (static_cast<uint8_t>(data[i]) > 1) return invalid_model(where + "a bool element is neither 0 nor 1");
  return t;
}

Status read_tensors(Reader r, std::map<std::string, Tensor>* out) {
  uint32_t count = 0;
  if (!r.get(&count)) return invalid_model("truncated count");
  for (uint32_t i = 0; i < count; ++i) {
    std::string name;
    EW_ASSIGN_OR_RETURN(Tensor t, read_tensor(r, &name));
    if (!out->emplace(name, std::move(t)).second) return invalid_model("tensor '" + name + "' appears twice");
  }
  if (r.left()) return invalid_model(std::to_string(r.left()) + " bytes after the last tensor");
  return Status::ok();
}

Status read_section(Section s, const char* p, size_t n, TrainingState* out) {
  Reader r(p, n);
  switch (s) {
    case kHead: {
      if (n != 32) return invalid_model("holds " + std::to_string(n) + " bytes, expected 32");
      for (int64_t* v : {&out->step, &out->epoch, &out->batch_in_epoch, &out->optimizer_steps}) r.get(v);
      return Status::ok();
    }
    case kParameters: return read_tensors(r, &out->parameters);
    case kBuffers: return read_tensors(r, &out->buffers);
    case kOptimizer: return read_tensors(r, &out->optimizer);
    case kOrder: {
      uint64_t count = 0;
      if (!r.get(&count) || count != r.left() / 8 || r.left() % 8)
        return invalid_model("holds " + std::to_string(n) + " bytes, not a count and that many int64 indices");
      out->data_order.resize(count);
      if (count) r.take(out->data_order.data(), count * 8);
      return Status::ok();
    }
    case kRng: out->rng_state.assign(p, n); return Status::ok();
    case kFingerprint: out->fingerprint.assign(p, n); return Status::ok();
    case kMeta: out->meta_json.assign(p, n); return Status::ok();
    default: return internal_error("unhandled checkpoint section");
  }
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// Magic, version, checksum and size; the error says what is wrong.
Status check_frame(const std::string& bytes) {
  const size_t n = bytes.size();
  if (n >= 4 && std::memcmp(bytes.data(), kMagic, 4) != 0)
    return invalid_model("bad magic: not an Edgewise checkpoint (expected \"EWCK\")");
  uint32_t version = 0;
  if (n >= 8) std::memcpy(&version, bytes.data() + 4, 4);
  if (n >= 8 && version != kCheckpointVersion)
    return unsupported("unsupported version " + std::to_string(version) + " (this build reads version " +
                       std::to_string(kCheckpointVersion) + ")");
  if (n < kFrameHead + kFrameTail)
    return invalid_model("truncated: " + std::to_string(n) + " bytes, less than the 20-byte frame");
  uint64_t declared = 0;
  uint32_t stored = 0;
  std::memcpy(&declared, bytes.data() + 8, 8);
  std::memcpy(&stored, bytes.data() + n - kFrameTail, 4);
  const uint32_t computed =
      static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), n - kFrameTail));
  const std::string sizes = "the file has " + std::to_string(n) + " bytes, its header declares " + std::to_string(declared);
  if (stored != computed) {
    const std::string crc = "checksum mismatch (stored " + hex32(stored) + ", computed " + hex32(computed) + ")";
    if (declared > n) return invalid_model("truncated: " + sizes + " (" + crc + ")");
    return invalid_model(crc + (declared == n ? ": the file is corrupt" : ": " + sizes));
  }
  if (declared != n) return invalid_model((declared > n ? "truncated: " : "size mismatch: ") + sizes);
  return Status::ok();
}

}  // namespace

Result<std::string> serialize_checkpoint(const TrainingState& s) {
  EW_RETURN_IF_ERROR(check_counters(s));
  Writer w;
  w.bytes(kMagic, 4);
  w.put<uint32_t>(kCheckpointVersion);
  w.put<uint64_t>(0);  // file size, patched below
  size_t at = w.begin(kHead);
  for (int64_t v : {s.step, s.epoch, s.batch_in_epoch, s.optimizer_steps}) w.put<int64_t>(v);
  w.end(at);
  EW_RETURN_IF_ERROR(write_tensors(w, kParameters, s.parameters));
  EW_RETURN_IF_ERROR(write_tensors(w, kBuffers, s.buffers));
  EW_RETURN_IF_ERROR(write_tensors(w, kOptimizer, s.optimizer));
  write_text(w, kRng, s.rng_state);
  at = w.begin(kOrder);
  w.put<uint64_t>(s.data_order.size());
  w.bytes(s.data_order.data(), s.data_order.size() * 8);
  w.end(at);
  write_text(w, kFingerprint, s.fingerprint);
  write_text(w, kMeta, s.meta_json);
  std::string& out = w.out();
  w.patch<uint64_t>(8, out.size() + kFrameTail);
  w.put<uint32_t>(static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(out.data()), out.size())));
  return std::move(out);
}

Result<TrainingState> parse_checkpoint(const std::string& bytes, const std::string& what) {
  const std::string prefix = what + ": ";
  Status frame = check_frame(bytes);
  if (!frame.is_ok()) return frame.with_context(prefix);
  TrainingState s;
  bool seen[kSectionCount] = {};
  Reader body(bytes.data() + kFrameHead, bytes.size() - kFrameHead - kFrameTail);
  while (body.left()) {
    const size_t offset = bytes.size() - kFrameTail - body.left();
    char tag[4];
    uint64_t size = 0;
    const char* payload = nullptr;
    if (!body.take(tag, 4) || !body.get(&size) || !body.view(size, &payload))
      return invalid_model(prefix + "the section at offset " + std::to_string(offset) + " runs past the end");
    int index = kSectionCount;
    for (int i = 0; i < kSectionCount; ++i)
      if (std::memcmp(tag, kTags[i], 4) == 0) index = i;
    if (index == kSectionCount) continue;  // a later addition this build does not know
    const Section section = static_cast<Section>(index);
    const std::string where = prefix + "section " + kTags[index] + " (" + kSectionNames[index] + "): ";
    if (seen[index]) return invalid_model(where + "appears twice");
    seen[index] = true;
    Status st = read_section(section, payload, size, &s);
    if (!st.is_ok()) return st.with_context(where);
  }
  for (int i = 0; i < kSectionCount; ++i)
    if (!seen[i]) return invalid_model(prefix + "section " + kTags[i] + " (" + kSectionNames[i] + ") is missing");
  Status st = check_counters(s);
  if (!st.is_ok()) return invalid_model(prefix + st.message());
  return s;
}

Status check_fingerprint(const TrainingState& s, const std::string& expected) {
  if (s.fingerprint == expected) return Status::ok();
  return invalid_argument("the checkpoint was made for another model or options: its fingerprint is '" +
                          s.fingerprint + "', this run's is '" + expected + "'");
}

}  // namespace ew::train
