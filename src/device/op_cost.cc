#include "device/op_cost.h"

#include "runtime/model_stats.h"

namespace ew {
namespace {

int64_t value_bytes(const Graph& g, const std::string& name, bool* exact) {
  if (const Tensor* init = g.initializer(name)) return static_cast<int64_t>(init->nbytes());
  const ValueType* t = g.find_type(name);
  if (!t || !t->fully_known() || t->dtype == DType::kUndefined) {
    *exact = false;
    return 0;
  }
  int64_t n = 1;
  for (const Dim& d : t->dims) n *= d.value;
  return n * static_cast<int64_t>(dtype_size(t->dtype));
}

// int8/uint8 inputs compute in int8, float16 in fp16, everything else fp32.
Precision precision_of(const Graph& g, const Node& n) {
  for (const std::string& in : n.inputs) {
    const ValueType* t = in.empty() ? nullptr : g.find_type(in);
    if (!t) continue;
    if (t->dtype == DType::kInt8 || t->dtype == DType::kUInt8) return Precision::kInt8;
    if (t->dtype == DType::kFloat16) return Precision::kFp16;
  }
  return Precision::kFp32;
}

}  // namespace

std::vector<OpCost> op_costs(const Model& model) {
  const Graph& g = model.graph;
  std::vector<OpCost> out;
  for (const Node& n : g.nodes) {
    OpCost c{n.name, n.op_type};
    const NodeCost nc = node_cost(g, n);
    c.macs = nc.macs;
    c.flops = nc.flops;
    c.exact = nc.exact;
    for (const std::string& in : n.inputs) {
      if (in.empty()) continue;
      const int64_t b = value_bytes(g, in, &c.exact);
      c.bytes_read += b;
      if (g.is_initializer(in)) c.param_bytes += b;
    }
    for (const std::string& o : n.outputs)
      if (!o.empty()) c.bytes_written += value_bytes(g, o, &c.exact);
    c.precision = precision_of(g, n);
    out.push_back(c);
  }
  return out;
}

}  // namespace ew
