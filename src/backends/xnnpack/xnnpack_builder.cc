#include "backends/xnnpack/xnnpack_builder.h"

#include "backends/xnnpack/layout.h"

namespace ew {

Status xnn_error(xnn_status status, const std::string& what) {
  return internal_error("XNNPACK rejected " + what + " (xnn_status " + std::to_string(static_cast<int>(status)) + ")");
}

std::vector<size_t> XnnpackBuilder::xnn_dims(const Shape& s) {
  if (s.size() == 4) return {size_t(s[0]), size_t(s[2]), size_t(s[3]), size_t(s[1])};
  std::vector<size_t> d(s.begin(), s.end());
  if (d.empty()) d.push_back(1);
  return d;
}

Status XnnpackBuilder::define_external(const std::string& name, uint32_t id, uint32_t flags) {
  const ValueType* vt = type(name);
  if (!vt || !vt->fully_known()) return internal_error("XNNPACK partition value '" + name + "' has no static shape");
  std::vector<size_t> dims = xnn_dims(vt->concrete_shape());
  uint32_t out = XNN_INVALID_VALUE_ID;
  xnn_status st = xnn_define_tensor_value(subgraph_, xnn_datatype_fp32, dims.size(), dims.data(), nullptr, id, flags, &out);
  if (st != xnn_status_success) return xnn_error(st, "external value '" + name + "'");
  ids_[name] = out;
  return Status::ok();
}

Result<uint32_t> XnnpackBuilder::value(const std::string& name) const {
  auto it = ids_.find(name);
  if (it == ids_.end()) return internal_error("XNNPACK partition reads '" + name + "' before it is defined");
  return it->second;
}

Result<uint32_t> XnnpackBuilder::output(const std::string& name) {
  auto it = ids_.find(name);
  if (it != ids_.end()) return it->second;
  const ValueType* vt = type(name);
  if (!vt || !vt->fully_known()) return internal_error("XNNPACK partition value '" + name + "' has no static shape");
  EW_ASSIGN_OR_RETURN(uint32_t id, internal(xnn_dims(vt->concrete_shape())));
  ids_[name] = id;
  return id;
}

Result<uint32_t> XnnpackBuilder::internal(const std::vector<size_t>& dims) {
  uint32_t id = XNN_INVALID_VALUE_ID;
  xnn_status st = xnn_define_tensor_value(subgraph_, xnn_datatype_fp32, dims.size(), dims.data(), nullptr,
                                          XNN_INVALID_VALUE_ID, 0, &id);
  if (st != xnn_status_success) return xnn_error(st, "an internal value");
  return id;
}

Result<uint32_t> XnnpackBuilder::static_tensor(const std::vector<size_t>& dims, std::vector<float> data) {
  storage_.push_back(std::move(data));
  uint32_t id = XNN_INVALID_VALUE_ID;
  xnn_status st = xnn_define_tensor_value(subgraph_, xnn_datatype_fp32, dims.size(), dims.data(),
                                          storage_.back().data(), XNN_INVALID_VALUE_ID, 0, &id);
  if (st != xnn_status_success) return xnn_error(st, "a static tensor");
  return id;
}

Result<uint32_t> XnnpackBuilder::constant_operand(const Tensor& t, int64_t rank) {
  if (t.dtype() != DType::kFloat32) return unsupported("XNNPACK constant operand must be float32");
  Shape shape = t.shape();
  while (static_cast<int64_t>(shape.size()) < rank) shape.insert(shape.begin(), 1);
  const float* p = t.data<float>();
  std::vector<float> data(p, p + t.numel());
  if (shape.size() == 4) data = nchw_to_nhwc(data, shape);
  return static_tensor(xnn_dims(shape), std::move(data));
}

}  // namespace ew
