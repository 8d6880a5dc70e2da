#include "backends/onednn/onednn_kernel.h"

#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"

namespace ew {

Result<std::unique_ptr<OnednnKernel>> OnednnKernel::create(const std::vector<const Node*>& nodes,
                                                           const std::vector<std::string>& inputs,
                                                           const std::vector<std::string>& outputs,
                                                           const TypeLookup& types, const OnednnOptions& options) {
  if (!onednn_available()) return unsupported("oneDNN has no CPU engine here");
  std::unique_ptr<OnednnKernel> k(new OnednnKernel());
  k->threads_ = options.threads;
  onednn_set_threads(options.threads);
  OnednnBuilder b(nodes, inputs, outputs, types, options);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const OnednnLowering* lowering = find_onednn_lowering(*nodes[i]);
    if (!lowering) return internal_error("no oneDNN lowering for " + nodes[i]->label());
    b.begin_node(static_cast<int>(i));
    try {
      EW_RETURN_IF_ERROR(lowering->define(b, *nodes[i]));
    } catch (const dnnl::error& e) {
      return onednn_error(e, nodes[i]->label());
    }
  }
  EW_ASSIGN_OR_RETURN(k->program_, b.finish());
  for (const auto& name : inputs) {
    k->in_shapes_.push_back(types.type(name)->concrete_shape());
    k->in_dtypes_.push_back(types.type(name)->dtype);
  }
  for (const auto& name : outputs) {
    k->out_shapes_.push_back(types.type(name)->concrete_shape());
    k->out_dtypes_.push_back(types.type(name)->dtype);
  }
  k->stream_ = std::make_unique<dnnl::stream>(onednn_engine());
  for (const auto& args : k->program_.args) {  // built once: running the program allocates nothing of ours
    std::vector<dnnl_exec_arg_t> c;
    for (const auto& [arg, memory] : args) c.push_back({arg, memory.get()});
    k->exec_args_.push_back(std::move(c));
  }
  return k;
}

Status OnednnKernel::run(KernelContext& ctx) {
  if (ctx.num_inputs() != static_cast<int>(in_shapes_.size()) ||
      ctx.num_outputs() != static_cast<int>(out_shapes_.size()))
    return internal_error("oneDNN partition called with the wrong number of values");
  for (size_t i = 0; i < in_shapes_.size(); ++i) {
    const Tensor& t = ctx.input(static_cast<int>(i));
    if (t.dtype() != in_dtypes_[i] || t.shape() != in_shapes_[i])
      return invalid_argument("oneDNN partition input " + std::to_string(i) + " is " + t.describe() + ", planned " +
                              dtype_name(in_dtypes_[i]) + shape_to_string(in_shapes_[i]));
    auto* data = static_cast<uint8_t*>(const_cast<void*>(t.raw()));
    for (OnednnBinding& b : program_.input_bindings[i]) b.memory.set_data_handle(data + b.offset);
  }
  for (size_t i = 0; i < out_shapes_.size(); ++i) {
    Tensor& t = ctx.output(static_cast<int>(i));
    if (!t.defined() || t.dtype() != out_dtypes_[i] || t.shape() != out_shapes_[i]) {
      EW_ASSIGN_OR_RETURN(Tensor * fresh, ctx.allocate_output(static_cast<int>(i), out_dtypes_[i], out_shapes_[i]));
      (void)fresh;
    }
    auto* data = static_cast<uint8_t*>(ctx.output(static_cast<int>(i)).raw());
    for (OnednnBinding& b : program_.output_bindings[i]) b.memory.set_data_handle(data + b.offset);
  }
  onednn_set_threads(threads_);
  for (size_t k = 0; k < program_.primitives.size(); ++k) {
    const auto& args = exec_args_[k];
    dnnl_status_t st = dnnl_primitive_execute(program_.primitives[k].get(), stream_->get(), static_cast<int>(args.size()),
                                              args.data());
    if (st != dnnl_success) return internal_error("oneDNN primitive " + std::to_string(k) + " failed (status " + std::to_string(st) + ")");
  }
  if (dnnl_stream_wait(stream_->get()) != dnnl_success) return internal_error("oneDNN stream wait failed");
  return Status::ok();
}

}  // namespace ew
