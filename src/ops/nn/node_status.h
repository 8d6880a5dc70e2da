// Prefixes a Status from a shared nn helper with the node label, keeping its code.
#pragma once

#include "ops/op.h"

namespace ew {

template <typename Ctx>
Status node_status(const Ctx& ctx, const Status& s) {
  return s.with_context("node " + ctx.node().label() + ": ");
}

}  // namespace ew

// Like EW_ASSIGN_OR_RETURN, prefixing a failure with the node label of `ctx`.
#define EW_NODE_ASSIGN_OR_RETURN(ctx, lhs, expr)                                    \
  auto EW_CONCAT(ew_nn_result_, __LINE__) = (expr);                                 \
  if (!EW_CONCAT(ew_nn_result_, __LINE__).is_ok())                                  \
    return ::ew::node_status(ctx, EW_CONCAT(ew_nn_result_, __LINE__).status());     \
  lhs = std::move(EW_CONCAT(ew_nn_result_, __LINE__)).value()
