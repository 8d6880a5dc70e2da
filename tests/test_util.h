// Helpers shared by tests: locating ../shared/models and building small models.
#pragma once

#include <string>

namespace ew::test {

// Folder of the shared models (../shared/models beside the repo), or "" when absent.
std::string shared_models_dir();
std::string source_dir();
std::string cli_path();
// Runs the edgewise CLI with `args`; returns its stdout (with stderr merged
// when `with_stderr`) and sets *exit_code (-1 when it did not exit normally).
std::string run_cli(const std::string& args, int* exit_code, bool with_stderr = false);

}  // namespace ew::test

// Skips the current test with a clear message when the shared models are absent.
#define EW_REQUIRE_SHARED_MODELS()                                                        \
  do {                                                                                    \
    if (::ew::test::shared_models_dir().empty())                                          \
      GTEST_SKIP() << "../shared/models is absent; this test needs the shared models";   \
  } while (0)

#include <map>
#include <vector>

#include "core/tensor.h"
#include "ir/graph.h"

namespace ew::test {

// Runs a single node of `op_type` (default domain unless `domain` is given) at
// `opset` on the given inputs through a real Session with reference kernels
// only (static inference, then the planned executor and the kernel). Empty tensors in `inputs` are absent
// optional inputs. Returns the node's outputs.
Result<std::vector<Tensor>> run_node(const std::string& op_type, const std::vector<Tensor>& inputs,
                                     const std::map<std::string, Attribute>& attributes = {}, int num_outputs = 1,
                                     int64_t opset = 17, const std::string& domain = "");

// Tensor shorthands for tests (abort the test binary on misuse, never the library).
Tensor make_f32(const Shape& shape, const std::vector<float>& values);
Tensor make_i64(const Shape& shape, const std::vector<int64_t>& values);
template <typename T>
Tensor make(const Shape& shape, const std::vector<T>& values) {
  auto t = Tensor::from_vector<T>(shape, values);
  if (!t.is_ok()) std::abort();
  return std::move(t).value();
}
// Values of a tensor as floats / int64, for EXPECT_THAT-style comparisons.
std::vector<float> values_f32(const Tensor& t);
std::vector<int64_t> values_i64(const Tensor& t);

}  // namespace ew::test
