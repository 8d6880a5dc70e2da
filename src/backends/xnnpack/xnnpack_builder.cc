#include "backends/xnnpack/xnnpack_builder.h"

#include <cmath>

#include "backends/xnnpack/layout.h"

namespace ew {

namespace {
constexpr size_t kStaticPadding = 64;  // bytes, like the port buffers' slack
}  // namespace

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
  if (vt->dtype == DType::kUInt8 || vt->dtype == DType::kInt8) {
    pending_[name] = Pending{id, flags};
    return Status::ok();
  }
  if (vt->dtype != DType::kFloat32)
    return unsupported("XNNPACK partition value '" + name + "' is " + dtype_name(vt->dtype));
  std::vector<size_t> dims = xnn_dims(vt->concrete_shape());
  uint32_t out = XNN_INVALID_VALUE_ID;
  xnn_status st = xnn_define_tensor_value(subgraph_, xnn_datatype_fp32, dims.size(), dims.data(), nullptr, id, flags, &out);
  if (st != xnn_status_success) return xnn_error(st, "external value '" + name + "'");
  ids_[name] = out;
  return Status::ok();
}

Status XnnpackBuilder::check_externals_defined() const {
  if (pending_.empty()) return Status::ok();
  return unsupported("XNNPACK partition value '" + pending_.begin()->first + "' has no quantization parameters");
}

Result<uint32_t> XnnpackBuilder::value(const std::string& name) const {
  auto it = ids_.find(name);
  if (it == ids_.end()) return internal_error("XNNPACK partition reads '" + name + "' before it is defined");
  if (quant_.count(name)) return internal_error("XNNPACK partition reads quantized '" + name + "' as float");
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
  storage_.f32.push_back(std::move(data));
  uint32_t id = XNN_INVALID_VALUE_ID;
  xnn_status st = xnn_define_tensor_value(subgraph_, xnn_datatype_fp32, dims.size(), dims.data(),
                                          storage_.f32.back().data(), XNN_INVALID_VALUE_ID, 0, &id);
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

Result<uint32_t> XnnpackBuilder::define_quantized(const std::string& name, const QuantParams& q, uint32_t id,
                                                  uint32_t flags) {
  const ValueType* vt = type(name);
  if (!vt || !vt->fully_known()) return internal_error("XNNPACK partition value '" + name + "' has no static shape");
  if (vt->dtype != q.dtype)
    return internal_error("XNNPACK partition value '" + name + "' is " + dtype_name(vt->dtype) + ", used as " +
                          dtype_name(q.dtype));
  std::vector<size_t> dims = xnn_dims(vt->concrete_shape());
  uint32_t out = XNN_INVALID_VALUE_ID;
  // uint8 values run as int8: v - 128 with zero point - 128 (the same real values).
  const int32_t zp = q.dtype == DType::kUInt8 ? q.zero_point - 128 : q.zero_point;
  xnn_status st = xnn_define_quantized_tensor_value(subgraph_, xnn_datatype_qint8, zp, q.scale,
                                                    dims.size(), dims.data(), nullptr, id, flags, &out);
  if (st != xnn_status_success) return xnn_error(st, "quantized value '" + name + "'");
  ids_[name] = out;
  quant_[name] = q;
  return out;
}

Result<uint32_t> XnnpackBuilder::quantized_value(const std::string& name, const QuantParams& q) {
  auto it = ids_.find(name);
  if (it != ids_.end()) {
    auto qt = quant_.find(name);
    if (qt == quant_.end() || !(qt->second == q))
      return unsupported("XNNPACK partition value '" + name + "' is read with other quantization parameters");
    return it->second;
  }
  auto p = pending_.find(name);
  if (p == pending_.end()) return internal_error("XNNPACK partition reads '" + name + "' before it is defined");
  Pending pend = p->second;
  pending_.erase(p);
  return define_quantized(name, q, pend.id, pend.flags);
}

Result<uint32_t> XnnpackBuilder::quantized_output(const std::string& name, const QuantParams& q) {
  if (ids_.count(name)) return internal_error("XNNPACK partition value '" + name + "' is written twice");
  auto p = pending_.find(name);
  if (p == pending_.end()) return define_quantized(name, q, XNN_INVALID_VALUE_ID, 0);
  Pending pend = p->second;
  pending_.erase(p);
  return define_quantized(name, q, pend.id, pend.flags);
}

Result<uint32_t> XnnpackBuilder::quantized_internal(const std::vector<size_t>& dims, const QuantParams& q) {
  const int32_t zp = q.dtype == DType::kUInt8 ? q.zero_point - 128 : q.zero_point;
  uint32_t id = XNN_INVALID_VALUE_ID;
  xnn_status st = xnn_define_quantized_tensor_value(subgraph_, xnn_datatype_qint8, zp, q.scale, dims.size(),
                                                    dims.data(), nullptr, XNN_INVALID_VALUE_ID, 0, &id);
  if (st != xnn_status_success) return xnn_error(st, "an internal quantized value");
  return id;
}

Result<uint32_t> XnnpackBuilder::static_quantized(xnn_datatype dt, int32_t zero_point, float scale,
                                                  const std::vector<size_t>& dims, std::vector<uint8_t> data) {
  data.resize(data.size() + kStaticPadding);  // XNNPACK kernels may read a little past the end
  storage_.bytes.push_back(std::move(data));
  uint32_t id = XNN_INVALID_VALUE_ID;
  xnn_status st = xnn_define_quantized_tensor_value(subgraph_, dt, zero_point, scale, dims.size(), dims.data(),
                                                    storage_.bytes.back().data(), XNN_INVALID_VALUE_ID, 0, &id);
  if (st != xnn_status_success) return xnn_error(st, "a static quantized tensor");
  return id;
}

Result<uint32_t> XnnpackBuilder::static_channelwise(xnn_datatype dt, std::vector<float> scales, size_t channel_dim,
                                                    const std::vector<size_t>& dims, std::vector<uint8_t> data) {
  data.resize(data.size() + kStaticPadding);
  storage_.bytes.push_back(std::move(data));
  storage_.f32.push_back(std::move(scales));  // XNNPACK keeps the pointer
  uint32_t id = XNN_INVALID_VALUE_ID;
  xnn_status st = xnn_define_channelwise_quantized_tensor_value(subgraph_, dt, storage_.f32.back().data(), dims.size(),
                                                                channel_dim, dims.data(), storage_.bytes.back().data(),
                                                                XNN_INVALID_VALUE_ID, 0, &id);
  if (st != xnn_status_success) return xnn_error(st, "a static channelwise-quantized tensor");
  return id;
}

}  // namespace ew
