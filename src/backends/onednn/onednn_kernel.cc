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
    for (dnnl::memory& m : program_.input_bindings[i]) m.set_data_handle(const_cast<void*>(t.raw()));
  }
  for (size_t i = 0; i < out_shapes_.size(); ++i) {
    Tensor& t = ctx.output(static_cast<int>(i));
    if (!t.defined() || t.dtype() != out_dtypes_[i] || t.shape() != out_shapes_[i]) {
      EW_ASSIGN_OR_RETURN(Tensor * fresh, ctx.allocate_output(static_cast<int>(i), out_dtypes_[i], out_shapes_[i]));
      (void)fresh;
    }
    void* data = ctx.output(static_cast<int>(i)).raw();
    for (dnnl::memory& m : program_.output_bindings[i]) m.set_data_handle(data);
  }
  onednn_set_threads(threads_);
  try {
    for (size_t k = 0; k < program_.primitives.size(); ++k) program_.primitives[k].execute(*stream_, program_.args[k]);
    stream_->wait();
  } catch (const dnnl::error& e) {
    return internal_error(std::string("oneDNN partition failed: ") + e.what());
  }
  return Status::ok();
}

}  // namespace ew
