#include "runtime/tensor_folder.h"

#include <cctype>
#include <filesystem>

#include "core/npy.h"
#include "core/tensor_file.h"

namespace ew {

std::string tensor_file_name(const std::string& tensor_name) {
  std::string name = tensor_name;
  for (char& c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '.' && c != '-' && c != '_') c = '_';
  }
  if (name.empty() || name == "." || name == "..") name = "_" + name;
  return name;
}

Result<std::map<std::string, Tensor>> read_tensor_folder(const std::string& dir, const std::vector<ValueInfo>& values,
                                                         const std::string& prefix) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return not_found("tensor folder '" + dir + "' does not exist");
  std::map<std::string, Tensor> tensors;
  for (size_t k = 0; k < values.size(); ++k) {
    std::vector<std::string> candidates = {dir + "/" + tensor_file_name(values[k].name) + ".npy",
                                           dir + "/" + prefix + "_" + std::to_string(k) + ".npy",
                                           dir + "/" + prefix + "_" + std::to_string(k) + ".pb"};
    bool found = false;
    for (const auto& path : candidates) {
      if (!fs::is_regular_file(path, ec)) continue;
      auto t = read_tensor_file(path);
      if (!t.is_ok()) return t.status().with_context("'" + values[k].name + "': ");
      tensors[values[k].name] = std::move(t).value();
      found = true;
      break;
    }
    if (!found)
      return not_found("no file for '" + values[k].name + "' in '" + dir + "' (tried " +
                       fs::path(candidates[0]).filename().string() + ", " + fs::path(candidates[1]).filename().string() +
                       ", " + fs::path(candidates[2]).filename().string() + ")");
  }
  return tensors;
}

Status write_tensor_folder(const std::string& dir, const std::vector<std::string>& names,
                           const std::vector<Tensor>& tensors) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return io_error("cannot create folder '" + dir + "': " + ec.message());
  for (size_t k = 0; k < tensors.size() && k < names.size(); ++k)
    EW_RETURN_IF_ERROR(write_npy(dir + "/" + tensor_file_name(names[k]) + ".npy", tensors[k]));
  return Status::ok();
}

}  // namespace ew
