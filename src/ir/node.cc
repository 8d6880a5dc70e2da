#include "ir/node.h"

namespace ew {

const char* attribute_kind_name(Attribute::Kind k) {
  switch (k) {
    case Attribute::Kind::kFloat: return "float";
    case Attribute::Kind::kInt: return "int";
    case Attribute::Kind::kString: return "string";
    case Attribute::Kind::kTensor: return "tensor";
    case Attribute::Kind::kGraph: return "graph";
    case Attribute::Kind::kFloats: return "floats";
    case Attribute::Kind::kInts: return "ints";
    case Attribute::Kind::kStrings: return "strings";
    case Attribute::Kind::kTensors: return "tensors";
    case Attribute::Kind::kGraphs: return "graphs";
  }
  return "?";
}

const Attribute* Node::attr(const std::string& key) const {
  auto it = attributes.find(key);
  return it == attributes.end() ? nullptr : &it->second;
}

int64_t Node::attr_int(const std::string& key, int64_t fallback) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kInt ? a->i : fallback;
}

float Node::attr_float(const std::string& key, float fallback) const {
  const Attribute* a = attr(key);
  if (a && a->kind == Attribute::Kind::kFloat) return a->f;
  if (a && a->kind == Attribute::Kind::kInt) return static_cast<float>(a->i);
  return fallback;
}

std::string Node::attr_string(const std::string& key, const std::string& fallback) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kString ? a->s : fallback;
}

std::vector<int64_t> Node::attr_ints(const std::string& key, const std::vector<int64_t>& fallback) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kInts ? a->ints : fallback;
}

std::vector<float> Node::attr_floats(const std::string& key, const std::vector<float>& fallback) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kFloats ? a->floats : fallback;
}

std::vector<std::string> Node::attr_strings(const std::string& key) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kStrings ? a->strings : std::vector<std::string>{};
}

const Tensor* Node::attr_tensor(const std::string& key) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kTensor ? &a->t : nullptr;
}

const Graph* Node::attr_graph(const std::string& key) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kGraph ? a->g.get() : nullptr;
}

std::string Node::label() const {
  std::string id = !name.empty() ? name : (outputs.empty() ? std::string("?") : outputs[0]);
  return "'" + id + "' (" + (domain.empty() ? "" : domain + "::") + op_type + ")";
}

}  // namespace ew
