// Builds one XNNPACK subgraph from ONNX nodes: maps value names to XNNPACK
// value ids, keeps 4-D values in NHWC, and owns the re-laid-out constant
// data the subgraph points at (which must outlive the runtime).
#pragma once

#include <xnnpack.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "backends/partition.h"

namespace ew {

class XnnpackBuilder {
 public:
  XnnpackBuilder(xnn_subgraph_t subgraph, const TypeLookup& types, std::deque<std::vector<float>>& storage)
      : subgraph_(subgraph), types_(types), storage_(storage) {}

  xnn_subgraph_t subgraph() const { return subgraph_; }
  const TypeLookup& types() const { return types_; }
  const ValueType* type(const std::string& name) const { return types_.type(name); }
  const Tensor* constant(const std::string& name) const { return types_.constant(name); }

  // Declares an external (boundary) value with a fixed id.
  Status define_external(const std::string& name, uint32_t id, uint32_t flags);
  // The id of a value already defined (external or produced by an earlier node).
  Result<uint32_t> value(const std::string& name) const;
  // The id for a node output: the external id if it leaves the partition, else a new internal value.
  Result<uint32_t> output(const std::string& name);
  // A new internal value of the given XNNPACK dims (already NHWC).
  Result<uint32_t> internal(const std::vector<size_t>& dims);
  // A static fp32 tensor; `data` is kept alive by the builder's storage.
  Result<uint32_t> static_tensor(const std::vector<size_t>& dims, std::vector<float> data);
  // A constant ONNX tensor as an operand of an op whose other operand has rank
  // `rank`: broadcast-aligned to that rank and, when 4-D, laid out NHWC.
  Result<uint32_t> constant_operand(const Tensor& t, int64_t rank);

  // XNNPACK dims of a value: NHWC for 4-D ONNX shapes.
  static std::vector<size_t> xnn_dims(const Shape& onnx_shape);

 private:
  xnn_subgraph_t subgraph_;
  const TypeLookup& types_;
  std::deque<std::vector<float>>& storage_;
  std::map<std::string, uint32_t> ids_;
};

// Status for a failed XNNPACK call, naming what was being defined.
Status xnn_error(xnn_status status, const std::string& what);

}  // namespace ew
