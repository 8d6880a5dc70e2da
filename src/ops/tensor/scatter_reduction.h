// The `reduction` attribute of ScatterElements and ScatterND: how an update
// combines with the value already in the output.
#pragma once

#include <algorithm>
#include <string>

#include "ops/op.h"

namespace ew {

enum class ScatterReduction { kNone, kAdd, kMul, kMax, kMin };

// Parses `reduction`; add/mul exist from opset 16, max/min from 18.
template <typename Ctx>
Result<ScatterReduction> scatter_reduction(const Ctx& ctx) {
  const std::string r = ctx.node().attr_string("reduction", "none");
  if (r == "none") return ScatterReduction::kNone;
  if (ctx.opset() >= 16 && r == "add") return ScatterReduction::kAdd;
  if (ctx.opset() >= 16 && r == "mul") return ScatterReduction::kMul;
  if (ctx.opset() >= 18 && r == "max") return ScatterReduction::kMax;
  if (ctx.opset() >= 18 && r == "min") return ScatterReduction::kMin;
  return ctx.error("reduction '" + r + "' is not supported at opset " + std::to_string(ctx.opset()));
}

// Combines `upd` into `dst` in the compute type of T.
template <typename T>
inline void scatter_combine(ScatterReduction r, T& dst, const T& upd) {
  using C = compute_t<T>;
  switch (r) {
    case ScatterReduction::kNone: dst = upd; break;
    case ScatterReduction::kAdd: dst = static_cast<T>(static_cast<C>(dst) + static_cast<C>(upd)); break;
    case ScatterReduction::kMul: dst = static_cast<T>(static_cast<C>(dst) * static_cast<C>(upd)); break;
    case ScatterReduction::kMax: dst = static_cast<T>(std::max<C>(dst, upd)); break;
    case ScatterReduction::kMin: dst = static_cast<T>(std::min<C>(dst, upd)); break;
  }
}

}  // namespace ew
