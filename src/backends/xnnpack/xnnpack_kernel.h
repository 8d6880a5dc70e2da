// One XNNPACK runtime standing for a partition of the graph. Boundary values
// are copied into buffers the runtime owns (4-D ones transposed NCHW -> NHWC)
// and results copied back out, so the runtime is set up once and each run
// only invokes it. Boundary values are float32, int8 or uint8 (uint8 ones
// flipped to the int8 the subgraph computes in; see XnnpackBuilder).
#pragma once

#include <xnnpack.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "backends/partition.h"
#include "backends/xnnpack/xnnpack_builder.h"

namespace ew {

struct XnnpackOptions {
  pthreadpool_t threadpool = nullptr;
  bool fp16 = false;  // ask XNNPACK for fp16 inference where the CPU supports it
};

// XNNPACK initializes once per process; false when this CPU is unsupported.
bool xnnpack_available();

class XnnpackKernel : public PreparedKernel {
 public:
  static Result<std::unique_ptr<XnnpackKernel>> create(const std::vector<const Node*>& nodes,
                                                       const std::vector<std::string>& inputs,
                                                       const std::vector<std::string>& outputs,
                                                       const TypeLookup& types, const XnnpackOptions& options);
  ~XnnpackKernel() override;
  Status run(KernelContext& ctx) override;

 private:
  struct Port {
    Shape shape;                     // ONNX shape
    DType dtype = DType::kFloat32;   // float32, or uint8 / int8 (quantized)
    bool nhwc = false;               // 4-D: the runtime sees it transposed
    std::shared_ptr<Buffer> buffer;  // what the runtime reads or writes
  };
  XnnpackKernel() = default;
  Status build(const std::vector<const Node*>& nodes, const std::vector<std::string>& inputs,
               const std::vector<std::string>& outputs, const TypeLookup& types, const XnnpackOptions& options);

  xnn_runtime_t runtime_ = nullptr;
  XnnpackStorage storage_;  // constant data the runtime points at
  std::vector<Port> in_, out_;
  pthreadpool_t threadpool_ = nullptr;
};

}  // namespace ew
