#include "check/test_data.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "core/tensor_proto.h"

namespace ew {
namespace fs = std::filesystem;

namespace {

Result<std::vector<NamedTensor>> read_series(const std::string& dir, const std::string& prefix) {
  std::vector<NamedTensor> out;
  for (int k = 0;; ++k) {
    std::string path = dir + "/" + prefix + "_" + std::to_string(k) + ".pb";
    if (!fs::exists(path)) break;
    NamedTensor nt;
    EW_ASSIGN_OR_RETURN(nt.tensor, read_tensor_pb(path, &nt.name));
    out.push_back(std::move(nt));
  }
  return out;
}

}  // namespace

Result<TestDataSet> read_test_data_set(const std::string& dir) {
  if (!fs::is_directory(dir)) return not_found("test data folder '" + dir + "' does not exist");
  TestDataSet ds;
  ds.dir = dir;
  EW_ASSIGN_OR_RETURN(ds.inputs, read_series(dir, "input"));
  EW_ASSIGN_OR_RETURN(ds.outputs, read_series(dir, "output"));
  if (ds.outputs.empty()) return not_found("test data folder '" + dir + "' has no output_0.pb");
  return ds;
}

std::vector<std::string> list_test_data_sets(const std::string& model_dir) {
  std::vector<std::string> dirs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(model_dir, ec))
    if (e.is_directory() && e.path().filename().string().rfind("test_data_set_", 0) == 0) dirs.push_back(e.path().string());
  std::sort(dirs.begin(), dirs.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  return dirs;
}

Tolerance reference_tolerance(const Model& model, const std::string& output, const Tensor& expected) {
  bool q = expected.dtype() == DType::kInt8 || expected.dtype() == DType::kUInt8;
  double step = 0;
  for (const Node& n : model.graph.nodes) {
    if (n.op_type != "DequantizeLinear" || n.outputs.empty() || n.outputs[0] != output || n.inputs.size() < 2) continue;
    const Tensor* scale = model.graph.initializer(n.inputs[1]);
    if (scale && scale->numel() == 1) step = scale->get_double(0);
  }
  return Tolerance{1e-3, step > 0 ? step * 1.001 : 1e-4, q ? 1 : 0};
}

Tensor adapt_bfloat16_quirk(const Tensor& t, DType want) {
  if (want != DType::kBFloat16 || t.dtype() != DType::kUInt16) return t;
  auto out = Tensor::create(DType::kBFloat16, t.shape());
  if (!out.is_ok()) return t;
  std::memcpy(out->raw(), t.raw(), t.nbytes());
  return std::move(out).value();
}

Result<std::map<std::string, Tensor>> bind_inputs(const Session& session, const TestDataSet& data) {
  const auto& decl = session.inputs();
  std::map<std::string, Tensor> bound;
  bool by_name = !data.inputs.empty();
  for (const auto& nt : data.inputs) {
    bool found = false;
    for (const auto& v : decl) found |= v.name == nt.name;
    by_name &= found;
  }
  if (by_name) {
    for (const auto& nt : data.inputs) {
      DType want = DType::kUndefined;
      for (const auto& v : decl) if (v.name == nt.name) want = v.type.dtype;
      bound[nt.name] = adapt_bfloat16_quirk(nt.tensor, want);
    }
    return bound;
  }
  if (data.inputs.size() != decl.size())
    return invalid_argument(data.dir + " has " + std::to_string(data.inputs.size()) + " inputs, the model takes " +
                            std::to_string(decl.size()));
  for (size_t i = 0; i < decl.size(); ++i) bound[decl[i].name] = adapt_bfloat16_quirk(data.inputs[i].tensor, decl[i].type.dtype);
  return bound;
}

}  // namespace ew
