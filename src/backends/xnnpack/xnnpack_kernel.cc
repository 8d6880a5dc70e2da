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
    p.nhwc = p.shape.size() == 4;
    size_t bytes = static_cast<size_t>(shape_numel(p.shape).value_or(0)) * sizeof(float);
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
  uint32_t flags = options.fp16 ? XNN_FLAG_HINT_FP16_INFERENCE : 0;
  st = xnn_create_runtime_v2(raw, options.threadpool, flags, &runtime_);
  if (st != xnn_status_success) return xnn_error(st, "the runtime of a partition");
  st = xnn_setup_runtime(runtime_, bindings.size(), bindings.data());
  if (st != xnn_status_success) return xnn_error(st, "the runtime setup");
  return Status::ok();
}

Status XnnpackKernel::run(KernelContext& ctx) {
  if (ctx.num_inputs() != static_cast<int>(in_.size()) || ctx.num_outputs() != static_cast<int>(out_.size()))
    return internal_error("XNNPACK partition called with the wrong number of values");
  for (size_t i = 0; i < in_.size(); ++i) {
    const Port& p = in_[i];
    const Tensor& t = ctx.input(static_cast<int>(i));
    if (t.dtype() != DType::kFloat32 || t.shape() != p.shape)
      return invalid_argument("XNNPACK partition input " + std::to_string(i) + " is " + t.describe() +
                              ", planned float32" + shape_to_string(p.shape));
    float* dst = reinterpret_cast<float*>(p.buffer->data());
    if (p.nhwc) transpose_batched(t.data<float>(), dst, p.shape[0], p.shape[1], p.shape[2] * p.shape[3], threadpool_);
    else if (t.nbytes()) std::memcpy(dst, t.raw(), t.nbytes());
  }
  xnn_status st = xnn_invoke_runtime(runtime_);
  if (st != xnn_status_success) return xnn_error(st, "running a partition");
  for (size_t i = 0; i < out_.size(); ++i) {
    const Port& p = out_[i];
    Tensor& t = ctx.output(static_cast<int>(i));
    if (!t.defined() || t.shape() != p.shape) {
      EW_ASSIGN_OR_RETURN(Tensor * fresh, ctx.allocate_output(static_cast<int>(i), DType::kFloat32, p.shape));
      (void)fresh;
    }
    Tensor& o = ctx.output(static_cast<int>(i));
    const float* src = reinterpret_cast<const float*>(p.buffer->data());
    if (p.nhwc) transpose_batched(src, o.data<float>(), p.shape[0], p.shape[2] * p.shape[3], p.shape[1], threadpool_);
    else if (o.nbytes()) std::memcpy(o.raw(), src, o.nbytes());
  }
  return Status::ok();
}

}  // namespace ew
