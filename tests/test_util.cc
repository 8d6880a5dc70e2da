#include "test_util.h"

#include <sys/wait.h>

#include <cstdio>

#include <filesystem>

namespace ew::test {

std::string source_dir() { return EW_SOURCE_DIR; }
std::string cli_path() { return EW_CLI_PATH; }

std::string run_cli(const std::string& args, int* exit_code, bool with_stderr) {
  std::string out;
  *exit_code = -1;
  FILE* p = popen((cli_path() + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  if (!p) return out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::string shared_models_dir() {
  std::filesystem::path p = std::filesystem::path(source_dir()) / ".." / "shared" / "models";
  return std::filesystem::is_directory(p) ? std::filesystem::canonical(p).string() : "";
}

}  // namespace ew::test

#include <cstdlib>

#include "runtime/session.h"

namespace ew::test {

Result<std::vector<Tensor>> run_node(const std::string& op_type, const std::vector<Tensor>& inputs,
                                     const std::map<std::string, Attribute>& attributes, int num_outputs,
                                     int64_t opset, const std::string& domain) {
  Model m;
  m.opsets.push_back({"", domain.empty() ? opset : 17});
  if (!domain.empty()) m.opsets.push_back({domain, opset});
  Node n;
  n.name = "node_under_test";
  n.op_type = op_type;
  n.domain = domain;
  n.attributes = attributes;
  std::map<std::string, Tensor> feeds;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined()) {
      n.inputs.push_back("");
      continue;
    }
    std::string name = "in" + std::to_string(i);
    n.inputs.push_back(name);
    m.graph.inputs.push_back({name, ValueType::of(inputs[i].dtype(), inputs[i].shape())});
    feeds[name] = inputs[i];
  }
  for (int i = 0; i < num_outputs; ++i) {
    n.outputs.push_back("out" + std::to_string(i));
    m.graph.outputs.push_back({"out" + std::to_string(i), {}});
  }
  m.graph.nodes.push_back(n);
  // Op tests check the reference kernels: no optimizer, no XNNPACK, no fast kernels.
  SessionOptions reference;
  reference.opt_level = 0;
  reference.use_backends = false;
  reference.fast_kernels = false;
  EW_ASSIGN_OR_RETURN(auto session, Session::create(std::move(m), reference));
  return session->run(feeds);
}

Tensor make_f32(const Shape& shape, const std::vector<float>& values) { return make<float>(shape, values); }
Tensor make_i64(const Shape& shape, const std::vector<int64_t>& values) { return make<int64_t>(shape, values); }

std::vector<float> values_f32(const Tensor& t) {
  std::vector<float> v;
  for (int64_t i = 0; i < t.numel(); ++i) v.push_back(static_cast<float>(t.get_double(i)));
  return v;
}

std::vector<int64_t> values_i64(const Tensor& t) { return t.to_int64_vector(); }

}  // namespace ew::test
