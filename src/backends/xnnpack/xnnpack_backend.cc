// XNNPACK as a backend: consecutive supported nodes become one XNNPACK
// runtime (XnnpackKernel), 4-D values NHWC inside, layouts changing only at
// the partition's edges.
#include "backends/backend.h"
#include "backends/xnnpack/xnnpack_kernel.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

bool xnnpack_available() {
  static const bool ok = xnn_initialize(nullptr) == xnn_status_success;
  return ok;
}

namespace {

class XnnpackBackend : public Backend {
 public:
  const char* name() const override { return "xnnpack"; }
  std::string version() const override { return "xnnpack (Debian libxnnpack)"; }
  bool available() const override { return xnnpack_available(); }
  bool supports(const Node& node, const TypeLookup& types) const override {
    const XnnpackLowering* l = find_xnnpack_lowering(node);
    return l && l->supports(node, types);
  }
  Result<std::unique_ptr<PreparedKernel>> compile(const Partition& p, const TypeLookup& types,
                                                  const BackendOptions& options) const override {
    EW_ASSIGN_OR_RETURN(auto kernel, XnnpackKernel::create(p.nodes, p.inputs, p.outputs, types,
                                                           XnnpackOptions{options.threadpool, options.fp16}));
    return std::unique_ptr<PreparedKernel>(std::move(kernel));
  }
};

const XnnpackBackend backend;
EW_REGISTER_BACKEND(backend);

}  // namespace

}  // namespace ew
