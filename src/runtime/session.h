// Session: a loaded, validated model bound to kernels, ready to run many
// times. Symbolic input dims ("N", "batch_size") are bound per run, so one
// session serves any batch size.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "runtime/executor.h"

namespace ew {

struct SessionOptions {
  int version = 1;               // options struct version, for forward compatibility
  bool infer_shapes = true;      // run static shape inference at load
};

class Session {
 public:
  static Result<std::unique_ptr<Session>> load(const std::string& path, const SessionOptions& options = {});
  static Result<std::unique_ptr<Session>> create(Model model, const SessionOptions& options = {});

  const Model& model() const { return model_; }
  const std::vector<ValueInfo>& inputs() const { return model_.graph.inputs; }
  const std::vector<ValueInfo>& outputs() const { return model_.graph.outputs; }

  // Runs with named inputs; returns outputs in graph order. Checks every input
  // against its declared dtype and shape, binding symbolic dims consistently.
  Result<std::vector<Tensor>> run(const std::map<std::string, Tensor>& inputs, StepObserver* observer = nullptr) const;

  // Checks the inputs without running; returns the bound symbolic dims.
  Result<std::map<std::string, int64_t>> check_inputs(const std::map<std::string, Tensor>& inputs) const;

 private:
  Session() = default;
  Model model_;
  std::unique_ptr<GraphExecutor> exec_;
};

}  // namespace ew
