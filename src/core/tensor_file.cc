#include "core/tensor_file.h"

#include <fstream>

#include "core/npy.h"
#include "core/tensor_proto.h"

namespace ew {

namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

Result<Tensor> read_tensor_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot open tensor file '" + path + "'");
  char magic[6] = {};
  in.read(magic, 6);
  if (in.gcount() == 6 && std::string(magic, 6) == "\x93NUMPY") return read_npy(path);
  return read_tensor_pb(path);
}

Status write_tensor_file(const std::string& path, const Tensor& t, const std::string& name) {
  return ends_with(path, ".npy") ? write_npy(path, t) : write_tensor_pb(path, t, name);
}

}  // namespace ew
