#include "core/npy.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace ew {

namespace {

const char kMagic[] = "\x93NUMPY";

Result<DType> dtype_from_descr(const std::string& d) {
  if (d.size() < 3) return invalid_argument(".npy dtype '" + d + "' is not understood");
  char order = d[0];
  if (order == '>' && d != ">i1" && d != ">u1" && d != ">b1")
    return unsupported(".npy big-endian data ('" + d + "') is not supported");
  std::string code = d.substr(1);
  if (code == "f4") return DType::kFloat32;
  if (code == "f8") return DType::kFloat64;
  if (code == "f2") return DType::kFloat16;
  if (code == "i1") return DType::kInt8;
  if (code == "u1") return DType::kUInt8;
  if (code == "i2") return DType::kInt16;
  if (code == "u2") return DType::kUInt16;
  if (code == "i4") return DType::kInt32;
  if (code == "u4") return DType::kUInt32;
  if (code == "i8") return DType::kInt64;
  if (code == "u8") return DType::kUInt64;
  if (code == "b1") return DType::kBool;
  return unsupported(".npy dtype '" + d + "' is not supported");
}

std::string descr_of(DType t) {
  switch (t) {
    case DType::kFloat32: return "<f4";
    case DType::kFloat64: return "<f8";
    case DType::kFloat16: return "<f2";
    case DType::kInt8: return "|i1";
    case DType::kUInt8: return "|u1";
    case DType::kInt16: return "<i2";
    case DType::kUInt16: return "<u2";
    case DType::kInt32: return "<i4";
    case DType::kUInt32: return "<u4";
    case DType::kInt64: return "<i8";
    case DType::kUInt64: return "<u8";
    case DType::kBool: return "|b1";
    default: return "<u2";  // bfloat16 has no numpy type: stored as raw uint16
  }
}

// Value of a key in the header dict: the text after "'key':" up to the next top-level comma/brace.
Result<std::string> header_field(const std::string& h, const std::string& key) {
  size_t k = h.find("'" + key + "'");
  if (k == std::string::npos) return invalid_argument(".npy header has no '" + key + "'");
  size_t colon = h.find(':', k);
  if (colon == std::string::npos) return invalid_argument(".npy header is malformed near '" + key + "'");
  size_t start = h.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos) return invalid_argument(".npy header is malformed near '" + key + "'");
  if (h[start] == '(') {
    size_t end = h.find(')', start);
    if (end == std::string::npos) return invalid_argument(".npy shape tuple is not closed");
    return h.substr(start + 1, end - start - 1);
  }
  size_t end = h.find_first_of(",}", start);
  if (end == std::string::npos) return invalid_argument(".npy header is malformed near '" + key + "'");
  std::string v = h.substr(start, end - start);
  while (!v.empty() && v.back() == ' ') v.pop_back();
  if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"')) v = v.substr(1, v.size() - 2);
  return v;
}

Result<Shape> parse_shape(const std::string& s) {
  Shape shape;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t b = item.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    try {
      size_t used = 0;
      long long v = std::stoll(item.substr(b), &used);
      if (v < 0) return invalid_argument(".npy shape has a negative dimension");
      shape.push_back(v);
    } catch (const std::exception&) {
      return invalid_argument(".npy shape '" + s + "' is not a tuple of integers");
    }
  }
  return shape;
}

}  // namespace

Result<Tensor> parse_npy(const std::string& bytes) {
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, 6) != 0)
    return invalid_argument("not a .npy file (bad magic)");
  int major = static_cast<uint8_t>(bytes[6]);
  size_t header_len, pos;
  if (major == 1) {
    header_len = static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
    pos = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) return invalid_argument(".npy header is truncated");
    header_len = 0;
    for (int i = 0; i < 4; ++i) header_len |= static_cast<size_t>(static_cast<uint8_t>(bytes[8 + i])) << (8 * i);
    pos = 12;
  } else {
    return unsupported(".npy format version " + std::to_string(major) + " is not supported");
  }
  if (header_len > bytes.size() - pos) return invalid_argument(".npy header is truncated");
  std::string header = bytes.substr(pos, header_len);
  EW_ASSIGN_OR_RETURN(std::string descr, header_field(header, "descr"));
  EW_ASSIGN_OR_RETURN(std::string fortran, header_field(header, "fortran_order"));
  EW_ASSIGN_OR_RETURN(std::string shape_text, header_field(header, "shape"));
  if (fortran != "False") return unsupported(".npy files in Fortran order are not supported");
  EW_ASSIGN_OR_RETURN(DType dtype, dtype_from_descr(descr));
  EW_ASSIGN_OR_RETURN(Shape shape, parse_shape(shape_text));
  EW_ASSIGN_OR_RETURN(Tensor t, Tensor::create(dtype, shape));
  size_t data_pos = pos + header_len;
  if (bytes.size() - data_pos != t.nbytes())
    return invalid_argument(".npy data has " + std::to_string(bytes.size() - data_pos) + " bytes, expected " +
                            std::to_string(t.nbytes()) + " for " + t.describe());
  if (t.nbytes()) std::memcpy(t.raw(), bytes.data() + data_pos, t.nbytes());
  if (dtype == DType::kBool)
    for (int64_t i = 0; i < t.numel(); ++i) t.data<uint8_t>()[i] = t.data<uint8_t>()[i] != 0;
  return t;
}

Result<Tensor> read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot open .npy file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = parse_npy(ss.str());
  if (!r.is_ok()) return r.status().with_context(path + ": ");
  return r;
}

std::string serialize_npy(const Tensor& t) {
  std::string shape;
  for (size_t i = 0; i < t.shape().size(); ++i) shape += (i ? ", " : "") + std::to_string(t.shape()[i]);
  if (t.shape().size() == 1) shape += ",";
  std::string header = "{'descr': '" + descr_of(t.dtype()) + "', 'fortran_order': False, 'shape': (" + shape + "), }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out(kMagic, 6);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>((header.size() >> 8) & 0xff);
  out += header;
  out.append(static_cast<const char*>(t.raw()), t.nbytes());
  return out;
}

Status write_npy(const std::string& path, const Tensor& t) {
  std::ofstream out(path, std::ios::binary);
  std::string bytes = serialize_npy(t);
  if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    return io_error("cannot write .npy file '" + path + "'");
  return Status::ok();
}

}  // namespace ew
