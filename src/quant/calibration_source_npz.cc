// .npz calibration data: NumPy's zip of NAME.npy members (np.savez stores
// them, np.savez_compressed deflates them). The archive is read through its
// central directory, with the zip64 fields np.savez writes; every offset and
// size is checked against the bytes at hand before use.
#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <sstream>

#include "core/npy.h"
#include "quant/calibration_source.h"

namespace ew::quant {

namespace {

struct ZipEntry {
  std::string name;
  uint16_t method = 0;
  uint32_t crc = 0;
  uint64_t compressed = 0, size = 0, local_offset = 0;
};

class ByteReader {
 public:
  ByteReader(const std::string& bytes, const std::string& what) : b_(bytes), what_(what) {}
  bool has(uint64_t pos, uint64_t n) const { return pos <= b_.size() && n <= b_.size() - pos; }
  uint64_t le(uint64_t pos, int n) const {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(b_[pos + static_cast<uint64_t>(i)]);
    return v;
  }
  Status corrupt(const std::string& why) const { return invalid_argument(what_ + ": corrupt .npz (zip) archive: " + why); }
  const std::string& bytes() const { return b_; }

 private:
  const std::string& b_;
  const std::string& what_;
};

// Locates the central directory: (offset, entry count).
Result<std::pair<uint64_t, uint64_t>> find_central_directory(const ByteReader& r) {
  const std::string& b = r.bytes();
  if (b.size() < 22) return r.corrupt("too short for a zip file");
  uint64_t start = b.size() > 22 + 65535 ? b.size() - 22 - 65535 : 0;
  for (uint64_t pos = b.size() - 22 + 1; pos-- > start;) {
    if (r.le(pos, 4) != 0x06054b50) continue;
    uint64_t count = r.le(pos + 10, 2), offset = r.le(pos + 16, 4);
    if ((count == 0xffff || offset == 0xffffffff) && pos >= 20 && r.le(pos - 20, 4) == 0x07064b50) {
      uint64_t z = r.le(pos - 20 + 8, 8);
      if (!r.has(z, 56) || r.le(z, 4) != 0x06064b50) return r.corrupt("bad zip64 end of central directory");
      count = r.le(z + 32, 8);
      offset = r.le(z + 48, 8);
    }
    return std::make_pair(offset, count);
  }
  return r.corrupt("no end of central directory record");
}

// Zip64 extended information: 64-bit values for the fields saturated at 0xffffffff.
void read_zip64_extra(const ByteReader& r, uint64_t pos, uint64_t len, ZipEntry& e) {
  uint64_t end = pos + len;
  while (pos + 4 <= end) {
    uint64_t id = r.le(pos, 2), n = r.le(pos + 2, 2), p = pos + 4;
    if (id == 1 && p + n <= end) {
      uint64_t* fields[] = {&e.size, &e.compressed, &e.local_offset};
      for (uint64_t* f : fields)
        if (*f == 0xffffffff && p + 8 <= pos + 4 + n) *f = r.le(p, 8), p += 8;
    }
    pos += 4 + n;
  }
}

Result<std::vector<ZipEntry>> read_central_directory(const ByteReader& r) {
  EW_ASSIGN_OR_RETURN(auto cd, find_central_directory(r));
  auto [pos, count] = cd;
  std::vector<ZipEntry> entries;
  for (uint64_t k = 0; k < count; ++k) {
    if (!r.has(pos, 46) || r.le(pos, 4) != 0x02014b50) return r.corrupt("bad central directory entry " + std::to_string(k));
    ZipEntry e;
    e.method = static_cast<uint16_t>(r.le(pos + 10, 2));
    e.crc = static_cast<uint32_t>(r.le(pos + 16, 4));
    e.compressed = r.le(pos + 20, 4);
    e.size = r.le(pos + 24, 4);
    uint64_t name_len = r.le(pos + 28, 2), extra_len = r.le(pos + 30, 2), comment_len = r.le(pos + 32, 2);
    e.local_offset = r.le(pos + 42, 4);
    if (!r.has(pos + 46, name_len + extra_len + comment_len)) return r.corrupt("truncated central directory");
    e.name = r.bytes().substr(pos + 46, name_len);
    read_zip64_extra(r, pos + 46 + name_len, extra_len, e);
    entries.push_back(std::move(e));
    pos += 46 + name_len + extra_len + comment_len;
  }
  return entries;
}

Result<std::string> inflate_raw(const std::string& in, uint64_t size, const std::string& member, const ByteReader& r) {
  std::string out(size, '\0');
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return internal_error("zlib inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&z, Z_FINISH);
  uint64_t produced = z.total_out;
  inflateEnd(&z);
  if (rc != Z_STREAM_END || produced != size) return r.corrupt("member '" + member + "' does not inflate to its declared size");
  return out;
}

Result<std::string> member_bytes(const ByteReader& r, const ZipEntry& e) {
  uint64_t p = e.local_offset;
  if (!r.has(p, 30) || r.le(p, 4) != 0x04034b50) return r.corrupt("bad local header of member '" + e.name + "'");
  uint64_t data = p + 30 + r.le(p + 26, 2) + r.le(p + 28, 2);
  if (!r.has(data, e.compressed)) return r.corrupt("member '" + e.name + "' is truncated");
  // Deflate expands at most ~1032:1, so a larger declared size is corrupt (and is never allocated).
  if (e.size > static_cast<uint64_t>(max_tensor_bytes()) || e.size > 0xffffffffu || e.size > e.compressed * 1032 + 64)
    return r.corrupt("member '" + e.name + "' declares " + std::to_string(e.size) + " bytes from " +
                     std::to_string(e.compressed) + " stored");
  std::string raw = r.bytes().substr(data, e.compressed);
  std::string out;
  if (e.method == 0) {
    if (e.compressed != e.size) return r.corrupt("stored member '" + e.name + "' has mismatched sizes");
    out = std::move(raw);
  } else if (e.method == 8) {
    EW_ASSIGN_OR_RETURN(out, inflate_raw(raw, e.size, e.name, r));
  } else {
    return unsupported("member '" + e.name + "' uses zip compression method " + std::to_string(e.method) +
                       " (only stored and deflate are read)");
  }
  uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size()));
  if (crc != e.crc) return r.corrupt("member '" + e.name + "' fails its CRC check");
  return out;
}

}  // namespace

Result<std::map<std::string, Tensor>> parse_npz(const std::string& bytes, const std::string& what) {
  ByteReader r(bytes, what);
  EW_ASSIGN_OR_RETURN(auto entries, read_central_directory(r));
  std::map<std::string, Tensor> arrays;
  for (const ZipEntry& e : entries) {
    if (e.name.size() < 4 || e.name.compare(e.name.size() - 4, 4, ".npy") != 0) continue;
    EW_ASSIGN_OR_RETURN(std::string npy, member_bytes(r, e));
    auto t = parse_npy(npy);
    if (!t.is_ok()) return t.status().with_context(what + ": member '" + e.name + "': ");
    arrays[e.name.substr(0, e.name.size() - 4)] = std::move(t).value();
  }
  if (arrays.empty()) return invalid_argument(what + ": the .npz archive holds no .npy arrays");
  return arrays;
}

Result<std::map<std::string, Tensor>> read_npz(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return not_found("cannot open '" + path + "'");
  std::ostringstream ss;
  ss << f.rdbuf();
  if (f.bad()) return io_error("error reading '" + path + "'");
  return parse_npz(ss.str(), path);
}

Result<std::unique_ptr<CalibrationSource>> open_npz_source(const std::string& path, const Model& model, int count) {
  EW_ASSIGN_OR_RETURN(auto arrays, read_npz(path));
  auto src = make_array_source(std::move(arrays), model, count);
  if (!src.is_ok()) return src.status().with_context(path + ": ");
  return src;
}

}  // namespace ew::quant
