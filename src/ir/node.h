// A node of the graph: one operator application. Values are referred to by
// name, as in ONNX; an empty input name marks an absent optional input.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/attribute.h"

namespace ew {

struct Node {
  std::string name;
  std::string op_type;
  std::string domain;  // "" is the default ONNX domain
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::map<std::string, Attribute> attributes;

  bool has_attr(const std::string& key) const { return attributes.count(key) > 0; }
  const Attribute* attr(const std::string& key) const;
  // Typed getters return `fallback` when the attribute is absent or of another kind.
  int64_t attr_int(const std::string& key, int64_t fallback) const;
  float attr_float(const std::string& key, float fallback) const;
  std::string attr_string(const std::string& key, const std::string& fallback) const;
  std::vector<int64_t> attr_ints(const std::string& key, const std::vector<int64_t>& fallback = {}) const;
  std::vector<float> attr_floats(const std::string& key, const std::vector<float>& fallback = {}) const;
  std::vector<std::string> attr_strings(const std::string& key) const;
  const Tensor* attr_tensor(const std::string& key) const;
  const Graph* attr_graph(const std::string& key) const;

  int num_inputs() const { return static_cast<int>(inputs.size()); }
  bool has_input(int i) const { return i < num_inputs() && !inputs[i].empty(); }
  // "'conv1' (Conv)" for messages; falls back to the first output's name.
  std::string label() const;
};

}  // namespace ew
