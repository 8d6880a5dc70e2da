#include "backends/xnnpack/xnnpack_kernel.h"

#include <cstring>

#include "backends/xnnpack/layout.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

// XNNPACK kernels may read up to XNN_EXTRA_BYTES past the end of a buffer.
constexpr size_t kExtraBytes = 64;

struct SubgraphDeleter {
  void operator()(xnn_subgraph* s) const { xnn_delete_subgraph(s); }
};

}  // namespace

XnnpackKernel::~XnnpackKernel() {
  if (runtime_) xnn_delete_runtime(runtime_);
}

Result<std::unique_ptr<XnnpackKernel>> XnnpackKernel::create(const std::vector<const Node*>& nodes,
                                                             const std::vector<std::string>& inputs,
                                                             const std::vector<std::string>& outputs,
                                                             const TypeLookup& types, const XnnpackOptions& options) {
  if (!xnnpack_available()) return unsupported("XNNPACK does not support this CPU");
  std::unique_ptr<XnnpackKernel> k(new XnnpackKernel());
  EW_RETURN_IF_ERROR(k->build(nodes, inputs, outputs, types, options));
  return k;
}

Status XnnpackKernel::build(const std::vector<const Node*>& nodes, const std::vector<std::string>& inputs,
                            const std::vector<std::string>& outputs, const TypeLookup& types,
                            const XnnpackOptions& options) {
  threadpool_ = options.threadpool;
  xnn_subgraph_t raw = nullptr;
  uint32_t externals = static_cast<uint32_t>(inputs.size() + outputs.size());
  xnn_status st = xnn_create_subgraph(externals, 0, &raw);
  if (st != xnn_status_success) return xnn_error(st, "a new subgraph");
  std::unique_ptr<xnn_subgraph, SubgraphDeleter> subgraph(raw);
  XnnpackBuilder b(raw, types, storage_);
  std::vector<xnn_external_value> bindings;
  auto add_port = [&](const std::string& name, uint32_t id, uint32_t flags, std::vector<Port>& ports) -> Status {
    EW_RETURN_IF_ERROR(b.define_external(name, id, flags));
    Port p;
    p.shape = types.type(name)->concrete_shape();
    p.dtype = types.type(name)->dtype;
    p.nhwc = p.shape.size() == 4;
    size_t bytes = static_cast<size_t>(shape_numel(p.shape).value_or(0)) * dtype_size(p.dtype);
    EW_ASSIGN_OR_RETURN(p.buffer, Buffer::allocate(bytes + kExtraBytes));
    bindings.push_back(xnn_external_value{id, p.buffer->data()});
    ports.push_back(std::move(p));
    return Status::ok();
  };
  uint32_t id = 0;
  for (const auto& name : inputs) EW_RETURN_IF_ERROR(add_port(name, id++, XNN_VALUE_FLAG_EXTERNAL_INPUT, in_));
  for (const auto& name : outputs) EW_RETURN_IF_ERROR(add_port(name, id++, XNN_VALUE_FLAG_EXTERNAL_OUTPUT, out_));
  for (const Node* node : nodes) {
    const XnnpackLowering* lowering = find_xnnpack_lowering(*node);
    if (!lowering) return internal_error("no XNNPACK lowering for " + node->label());
    EW_RETURN_IF_ERROR(lowering->define(b, *node));
  }
  EW_RETURN_IF_ERROR(b.check_externals_defined());
  uint32_t flags = options.fp16 ? XNN_FLAG_HINT_FP16_INFERENCE : 0;
  st = xnn_create_runtime_v2(raw, options.threadpool, flags, &runtime_);
  if (st != xnn_status_success) return xnn_error(st, "the runtime of a partition");
  st = xnn_setup_runtime(runtime_, bindings.size(), bindings.data());
  if (st != xnn_status_success) return xnn_error(st, "the runtime setup");
  return Status::ok();
}

namespace {

// Flips the top bit of n bytes: uint8 <-> the int8 the subgraph uses.
void flip_bytes(void* data, size_t n) {
  uint8_t* p = static_cast<uint8_t*>(data);
  for (size_t i = 0; i < n; ++i) p[i] ^= 0x80;
}

// Copies a boundary tensor between ONNX layout and the runtime's buffer;
// 4-D tensors are transposed (NCHW -> NHWC when `to_nhwc`, else back), and
// uint8 ones converted to / from the int8 the subgraph computes in.
void copy_port(const void* src, void* dst, const Shape& s, DType dtype, bool nhwc, bool to_nhwc, size_t bytes,
               pthreadpool_t pool) {
  if (!nhwc) {
    if (bytes) std::memcpy(dst, src, bytes);
  } else {
    const int64_t c = s[1], hw = s[2] * s[3];
    const int64_t rows = to_nhwc ? c : hw, cols = to_nhwc ? hw : c;
    if (dtype == DType::kFloat32)
      transpose_batched(static_cast<const float*>(src), static_cast<float*>(dst), s[0], rows, cols, pool);
    else
      transpose_batched(static_cast<const uint8_t*>(src), static_cast<uint8_t*>(dst), s[0], rows, cols, pool);
  }
  if (dtype == DType::kUInt8) flip_bytes(dst, bytes);
}

}  // namespace

Status XnnpackKernel::run(KernelContext& ctx) {
  if (ctx.num_inputs() != static_cast<int>(in_.size()) || ctx.num_outputs() != static_cast<int>(out_.size()))
    return internal_error("XNNPACK partition called with the wrong number of values");
  for (size_t i = 0; i < in_.size(); ++i) {
    const Port& p = in_[i];
    const Tensor& t = ctx.input(static_cast<int>(i));
    if (t.dtype() != p.dtype || t.shape() != p.shape)
      return invalid_argument("XNNPACK partition input " + std::to_string(i) + " is " + t.describe() + ", planned " +
                              dtype_name(p.dtype) + shape_to_string(p.shape));
    copy_port(t.raw(), p.buffer->data(), p.shape, p.dtype, p.nhwc, true, t.nbytes(), threadpool_);
  }
  xnn_status st = xnn_invoke_runtime(runtime_);
  if (st != xnn_status_success) return xnn_error(st, "running a partition");
  for (size_t i = 0; i < out_.size(); ++i) {
    const Port& p = out_[i];
    Tensor& t = ctx.output(static_cast<int>(i));
    if (!t.defined() || t.dtype() != p.dtype || t.shape() != p.shape) {
      EW_ASSIGN_OR_RETURN(Tensor * fresh, ctx.allocate_output(static_cast<int>(i), p.dtype, p.shape));
      (void)fresh;
    }
    Tensor& o = ctx.output(static_cast<int>(i));
    copy_port(p.buffer->data(), o.raw(), p.shape, p.dtype, p.nhwc, false, o.nbytes(), threadpool_);
  }
  return Status::ok();
}

}  // namespace ew
