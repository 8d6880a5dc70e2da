// One oneDNN program standing for a partition of the graph. Its boundary
// memories point at the caller's tensors (inputs read, outputs written in
// place: no copies); inside, values stay in the blocked layouts the
// primitives chose, in one arena.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backends/onednn/onednn_builder.h"

namespace ew {

class OnednnKernel : public PreparedKernel {
 public:
  static Result<std::unique_ptr<OnednnKernel>> create(const std::vector<const Node*>& nodes,
                                                      const std::vector<std::string>& inputs,
                                                      const std::vector<std::string>& outputs,
                                                      const TypeLookup& types, const OnednnOptions& options);
  Status run(KernelContext& ctx) override;
  const OnednnProgram& program() const { return program_; }

 private:
  OnednnKernel() = default;
  OnednnProgram program_;
  std::vector<std::vector<dnnl_exec_arg_t>> exec_args_;  // program_.args as the C API takes them
  std::vector<Shape> in_shapes_, out_shapes_;
  std::vector<DType> in_dtypes_, out_dtypes_;
  std::unique_ptr<dnnl::stream> stream_;
  int threads_ = 1;
};

}  // namespace ew
