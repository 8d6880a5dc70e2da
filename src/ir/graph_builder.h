// GraphBuilder: writes IR graphs in code — for tests, the bundled demo
// models, and later the architecture search. Names are made unique.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew {

class GraphBuilder {
 public:
  explicit GraphBuilder(std::string name, int64_t opset = 17);

  // Declares a graph input; dims may be symbolic (Dim::symbolic("N")).
  std::string input(const std::string& name, DType dtype, std::vector<Dim> dims);
  // Adds a constant tensor; returns its (unique) name.
  std::string constant(const std::string& hint, Tensor value);
  // Adds a node with one output; returns the output's name.
  std::string node(const std::string& op_type, const std::vector<std::string>& inputs,
                   const std::map<std::string, Attribute>& attributes = {}, const std::string& hint = "");
  // Adds a node with `num_outputs` outputs.
  std::vector<std::string> node_n(const std::string& op_type, const std::vector<std::string>& inputs, int num_outputs,
                                  const std::map<std::string, Attribute>& attributes = {}, const std::string& hint = "",
                                  const std::string& domain = "");
  // Marks a value as a graph output, optionally under a new name.
  void output(const std::string& value, const std::string& rename = "");
  void import_opset(const std::string& domain, int64_t version);

  // Validates (topological order, no dangling names) and returns the model.
  Result<Model> build();

 private:
  std::string unique(const std::string& hint);
  Model model_;
  std::map<std::string, int> used_;
};

}  // namespace ew
