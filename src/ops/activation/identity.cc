// Identity: the output shares the input's bytes. Tensors only (no sequences or optionals).
#include "ops/broadcast.h"

namespace ew {
namespace {

Status run_identity(KernelContext& ctx) {
  ctx.set_output(0, ctx.input(0));
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Identity", .infer = infer_same_as_input, .run = run_identity);

}  // namespace ew
