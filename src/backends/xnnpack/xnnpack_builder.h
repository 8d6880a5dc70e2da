// Builds one XNNPACK subgraph from ONNX nodes: maps value names to XNNPACK
// value ids, keeps 4-D values in NHWC, and owns the re-laid-out constant
// data the subgraph points at (which must outlive the runtime).
//
// Float32 values are defined as soon as they are known. Quantized (uint8 /
// int8) values carry a scale and zero point that only the nodes reading or
// writing them know, so quantized boundary values are defined by the first
// lowering that names their parameters (quantized_value / quantized_output);
// every later use must agree on them. Inside the subgraph every 8-bit value is
// int8 (xnn_datatype_qint8): a uint8 value v with zero point z is stored as
// v ^ 0x80 = v - 128 with zero point z - 128, which denotes the same real
// numbers and saturates at the same ends, so XNNPACK's signed kernels compute
// exactly what the uint8 op would; the kernel flips the top bit at the ports.
#pragma once

#include <xnnpack.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "backends/partition.h"
#include "backends/quant_constants.h"

namespace ew {

// Constant data a runtime points at (kept alive with the runtime).
struct XnnpackStorage {
  std::deque<std::vector<float>> f32;
  std::deque<std::vector<uint8_t>> bytes;
};

class XnnpackBuilder {
 public:
  XnnpackBuilder(xnn_subgraph_t subgraph, const TypeLookup& types, XnnpackStorage& storage)
      : subgraph_(subgraph), types_(types), storage_(storage) {}

  xnn_subgraph_t subgraph() const { return subgraph_; }
  const TypeLookup& types() const { return types_; }
  const ValueType* type(const std::string& name) const { return types_.type(name); }
  const Tensor* constant(const std::string& name) const { return types_.constant(name); }

  // Declares an external (boundary) value with a fixed id. Quantized ones are
  // defined later, by the first quantized_value / quantized_output naming them.
  Status define_external(const std::string& name, uint32_t id, uint32_t flags);
  // Fails when a quantized external value was never given its parameters.
  Status check_externals_defined() const;
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

  // Quantized counterparts of value / output: the value must have (or gets) `q`.
  Result<uint32_t> quantized_value(const std::string& name, const QuantParams& q);
  Result<uint32_t> quantized_output(const std::string& name, const QuantParams& q);
  // A new internal quantized value of the given XNNPACK dims.
  Result<uint32_t> quantized_internal(const std::vector<size_t>& dims, const QuantParams& q);
  // A static quantized tensor (xnn_datatype_qint8 / quint8 / qint32) of raw bytes.
  Result<uint32_t> static_quantized(xnn_datatype dt, int32_t zero_point, float scale, const std::vector<size_t>& dims,
                                    std::vector<uint8_t> data);
  // A static channelwise-quantized tensor (qcint8 / qcint32), one scale per entry of dims[channel_dim].
  Result<uint32_t> static_channelwise(xnn_datatype dt, std::vector<float> scales, size_t channel_dim,
                                      const std::vector<size_t>& dims, std::vector<uint8_t> data);

  // XNNPACK dims of a value: NHWC for 4-D ONNX shapes.
  static std::vector<size_t> xnn_dims(const Shape& onnx_shape);

 private:
  struct Pending {
    uint32_t id, flags;
  };
  Result<uint32_t> define_quantized(const std::string& name, const QuantParams& q, uint32_t id, uint32_t flags);

  xnn_subgraph_t subgraph_;
  const TypeLookup& types_;
  XnnpackStorage& storage_;
  std::map<std::string, uint32_t> ids_;
  std::map<std::string, QuantParams> quant_;   // parameters of the quantized values defined so far
  std::map<std::string, Pending> pending_;     // quantized externals not yet defined
};

// Status for a failed XNNPACK call, naming what was being defined.
Status xnn_error(xnn_status status, const std::string& what);

}  // namespace ew
