// oneDNN as a backend: consecutive supported nodes become one oneDNN program
// (OnednnKernel) whose values keep the blocked layouts the primitives choose.
#include "backends/backend.h"
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_kernel.h"
#include "backends/onednn/onednn_ops.h"

namespace ew {

namespace {

class OnednnBackend : public Backend {
 public:
  const char* name() const override { return "onednn"; }
  std::string version() const override {
    const dnnl_version_t* v = dnnl_version();
    return "onednn " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) + " " +
           onednn_isa();
  }
  bool available() const override { return onednn_available(); }
  bool own_threads() const override { return true; }
  bool has_bf16() const override { return onednn_has_bf16(); }
  bool supports(const Node& node, const TypeLookup& types) const override {
    const OnednnLowering* l = find_onednn_lowering(node);
    return l && l->supports(node, types);
  }
  Result<std::unique_ptr<PreparedKernel>> compile(const Partition& p, const TypeLookup& types,
                                                  const BackendOptions& options) const override {
    OnednnOptions o;
    o.threads = options.threads;
    o.bf16 = options.bf16 && onednn_has_bf16();
    EW_ASSIGN_OR_RETURN(auto kernel, OnednnKernel::create(p.nodes, p.inputs, p.outputs, types, o));
    return std::unique_ptr<PreparedKernel>(std::move(kernel));
  }
};

const OnednnBackend backend;
EW_REGISTER_BACKEND(backend);

}  // namespace

}  // namespace ew
