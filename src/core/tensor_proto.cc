#include "core/tensor_proto.h"

#include <onnx/onnx_pb.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ew {
namespace fs = std::filesystem;

namespace {

template <typename Src, typename Dst>
void copy_cast(const Src& src, Tensor& t) {
  Dst* out = t.data<Dst>();
  for (int i = 0; i < src.size(); ++i) out[i] = static_cast<Dst>(src.Get(i));
}

// Types stored in int32_data: 16-bit floats carry their bit pattern.
Status from_int32_field(const onnx::TensorProto& p, Tensor& t) {
  const auto& src = p.int32_data();
  switch (t.dtype()) {
    case DType::kFloat16: case DType::kBFloat16: {
      uint16_t* out = t.data<uint16_t>();
      for (int i = 0; i < src.size(); ++i) out[i] = static_cast<uint16_t>(src.Get(i));
      return Status::ok();
    }
    case DType::kBool: copy_cast<decltype(src), bool>(src, t); return Status::ok();
    case DType::kInt8: copy_cast<decltype(src), int8_t>(src, t); return Status::ok();
    case DType::kUInt8: copy_cast<decltype(src), uint8_t>(src, t); return Status::ok();
    case DType::kInt16: copy_cast<decltype(src), int16_t>(src, t); return Status::ok();
    case DType::kUInt16: copy_cast<decltype(src), uint16_t>(src, t); return Status::ok();
    case DType::kInt32: copy_cast<decltype(src), int32_t>(src, t); return Status::ok();
    default: return invalid_model("int32_data holds values for a " + std::string(dtype_name(t.dtype())) + " tensor");
  }
}

// Number of values in the typed field that matches the dtype.
int typed_field_size(const onnx::TensorProto& p, DType d) {
  switch (d) {
    case DType::kFloat32: return p.float_data_size();
    case DType::kFloat64: return p.double_data_size();
    case DType::kInt64: return p.int64_data_size();
    case DType::kUInt32: case DType::kUInt64: return p.uint64_data_size();
    default: return p.int32_data_size();
  }
}

Status from_typed_field(const onnx::TensorProto& p, Tensor& t) {
  switch (t.dtype()) {
    case DType::kFloat32: copy_cast<decltype(p.float_data()), float>(p.float_data(), t); break;
    case DType::kFloat64: copy_cast<decltype(p.double_data()), double>(p.double_data(), t); break;
    case DType::kInt64: copy_cast<decltype(p.int64_data()), int64_t>(p.int64_data(), t); break;
    case DType::kUInt32: copy_cast<decltype(p.uint64_data()), uint32_t>(p.uint64_data(), t); break;
    case DType::kUInt64: copy_cast<decltype(p.uint64_data()), uint64_t>(p.uint64_data(), t); break;
    default: return from_int32_field(p, t);
  }
  return Status::ok();
}

Result<std::string> external_path(const onnx::TensorProto& p, const std::string& base_dir,
                                  int64_t* offset, int64_t* length) {
  std::string location;
  *offset = 0;
  *length = -1;
  for (const auto& kv : p.external_data()) {
    try {
      if (kv.key() == "location") location = kv.value();
      else if (kv.key() == "offset") *offset = std::stoll(kv.value());
      else if (kv.key() == "length") *length = std::stoll(kv.value());
    } catch (const std::exception&) {
      return invalid_model("external data '" + kv.key() + "' of tensor '" + p.name() + "' is not a number");
    }
  }
  if (location.empty()) return invalid_model("tensor '" + p.name() + "' has external data without a location");
  fs::path rel(location);
  if (rel.is_absolute()) return invalid_model("external data path '" + location + "' of tensor '" + p.name() + "' is absolute");
  std::error_code ec;
  fs::path base = fs::weakly_canonical(fs::path(base_dir.empty() ? "." : base_dir), ec);
  fs::path full = fs::weakly_canonical(base / rel, ec);
  if (ec) return io_error("cannot resolve external data path '" + location + "'");
  auto [b, f] = std::mismatch(base.begin(), base.end(), full.begin(), full.end());
  if (b != base.end())
    return invalid_model("external data path '" + location + "' of tensor '" + p.name() + "' escapes the model's folder");
  return full.string();
}

Status read_external(const onnx::TensorProto& p, const std::string& base_dir, Tensor& t) {
  int64_t offset = 0, length = -1;
  EW_ASSIGN_OR_RETURN(std::string path, external_path(p, base_dir, &offset, &length));
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("external data file '" + path + "' for tensor '" + p.name() + "' cannot be opened");
  in.seekg(0, std::ios::end);
  int64_t file_size = in.tellg();
  int64_t want = static_cast<int64_t>(t.nbytes());
  if (length >= 0 && length != want)
    return invalid_model("external data of tensor '" + p.name() + "' has length " + std::to_string(length) +
                         ", expected " + std::to_string(want) + " bytes for " + t.describe());
  if (offset < 0 || offset > file_size || file_size - offset < want)
    return invalid_model("external data file '" + path + "' is too short for tensor '" + p.name() + "'");
  in.seekg(offset);
  in.read(static_cast<char*>(t.raw()), want);
  if (!in) return io_error("reading external data of tensor '" + p.name() + "' failed");
  return Status::ok();
}

}  // namespace

Result<Tensor> tensor_from_proto(const onnx::TensorProto& p, const std::string& base_dir) {
  auto dt = dtype_from_onnx(p.data_type());
  if (!dt.is_ok()) return dt.status().with_context("tensor '" + p.name() + "': ");
  DType dtype = *dt;
  Shape shape(p.dims().begin(), p.dims().end());
  for (int64_t d : shape)
    if (d < 0) return invalid_model("tensor '" + p.name() + "' has negative dimension in " + shape_to_string(shape));
  auto created = Tensor::create(dtype, shape);
  if (!created.is_ok()) return created.status().with_context("tensor '" + p.name() + "': ");
  Tensor t = std::move(created).value();
  if (p.data_location() == onnx::TensorProto::EXTERNAL) {
    EW_RETURN_IF_ERROR(read_external(p, base_dir, t));
    return t;
  }
  if (p.has_raw_data()) {
    if (p.raw_data().size() != t.nbytes())
      return invalid_model("tensor '" + p.name() + "' has " + std::to_string(p.raw_data().size()) +
                           " raw bytes, expected " + std::to_string(t.nbytes()) + " for " + t.describe());
    if (t.nbytes()) std::memcpy(t.raw(), p.raw_data().data(), t.nbytes());
    if (dtype == DType::kBool)
      for (int64_t i = 0; i < t.numel(); ++i) t.data<uint8_t>()[i] = t.data<uint8_t>()[i] != 0;
    return t;
  }
  if (typed_field_size(p, dtype) != t.numel())
    return invalid_model("tensor '" + p.name() + "' holds " + std::to_string(typed_field_size(p, dtype)) +
                         " values, expected " + std::to_string(t.numel()) + " for " + t.describe());
  EW_RETURN_IF_ERROR(from_typed_field(p, t));
  return t;
}

void tensor_to_proto(const Tensor& t, const std::string& name, onnx::TensorProto* p) {
  p->Clear();
  p->set_name(name);
  p->set_data_type(static_cast<int>(t.dtype()));
  for (int64_t d : t.shape()) p->add_dims(d);
  p->set_raw_data(std::string(static_cast<const char*>(t.raw()), t.nbytes()));
}

Result<Tensor> parse_tensor_pb(const std::string& bytes, std::string* name) {
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes)) return invalid_argument("not a valid serialized TensorProto");
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    return invalid_argument("tensor file '" + proto.name() + "' refers to external data");
  if (name) *name = proto.name();
  return tensor_from_proto(proto);
}

Result<Tensor> read_tensor_pb(const std::string& path, std::string* name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot open tensor file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = parse_tensor_pb(ss.str(), name);
  if (!r.is_ok()) return r.status().with_context(path + ": ");
  return r;
}

Status write_tensor_pb(const std::string& path, const Tensor& t, const std::string& name) {
  onnx::TensorProto proto;
  tensor_to_proto(t, name, &proto);
  std::ofstream out(path, std::ios::binary);
  if (!out || !proto.SerializeToOstream(&out)) return io_error("cannot write tensor file '" + path + "'");
  return Status::ok();
}

}  // namespace ew
