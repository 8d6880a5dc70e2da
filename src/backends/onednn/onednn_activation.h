// Activations as oneDNN eltwise steps: post-ops of a convolution or matmul,
// or standalone eltwise primitives.
#pragma once

#include <dnnl.hpp>

#include "ops/fused/fused_activation.h"

namespace ew {

// Appends the eltwise post-ops that compute `a` (nothing for kNone).
inline void append_activation(dnnl::post_ops& po, const FusedActivation& a) {
  using K = FusedActivation::Kind;
  using alg = dnnl::algorithm;
  switch (a.kind) {
    case K::kNone: return;
    case K::kRelu: po.append_eltwise(1.f, alg::eltwise_relu, 0.f, 0.f); return;
    case K::kLeakyRelu: po.append_eltwise(1.f, alg::eltwise_relu, a.alpha, 0.f); return;
    case K::kClip: po.append_eltwise(1.f, alg::eltwise_clip_v2, a.alpha, a.beta); return;
    case K::kSigmoid: po.append_eltwise(1.f, alg::eltwise_logistic, 0.f, 0.f); return;
    case K::kTanh: po.append_eltwise(1.f, alg::eltwise_tanh, 0.f, 0.f); return;
    case K::kHardSigmoid:
      po.append_eltwise(1.f, alg::eltwise_linear, a.alpha, a.beta);
      po.append_eltwise(1.f, alg::eltwise_clip_v2, 0.f, 1.f);
      return;
  }
}

}  // namespace ew
