// LayerNormalization (opset 17; registered from version 1 because ONNX Runtime
// also accepts it in the ONNX domain below 17, as the LayerNorm fusion emits it): X viewed as [outer, inner] at `axis`; each row
// is normalized, then scaled and shifted by Scale and B, which broadcast
// unidirectionally to X.shape[axis:]. Optional outputs Mean and InvStdDev have
// shape X.shape[:axis] + [1] * (rank - axis) and the stash_type dtype.
#include <cmath>
#include <vector>

#include "ops/broadcast.h"

namespace ew {
namespace {

Result<DType> stash_dtype(const Node& node) {
  auto t = dtype_from_onnx(static_cast<int>(node.attr_int("stash_type", 1)));
  if (!t.is_ok() || !is_float(*t)) return invalid_argument("stash_type must name a float type");
  return *t;
}

// Scale or B must broadcast to the normalized shape dims[axis:] without growing it.
Status check_param(const InferContext& ctx, int i, const std::vector<Dim>& norm) {
  const ValueType& p = ctx.input_type(i);
  if (p.dtype != DType::kUndefined && !is_float(p.dtype)) return ctx.error("Scale and B must be float tensors");
  if (!p.has_shape) return Status::ok();
  if (p.dims.size() > norm.size()) return ctx.error("Scale/B rank exceeds the normalized rank");
  for (size_t k = 0; k < p.dims.size(); ++k) {
    const Dim& a = p.dims[k];
    const Dim& b = norm[norm.size() - p.dims.size() + k];
    if (a.known() && b.known() && a.value != b.value && a.value != 1)
      return ctx.error("Scale/B does not broadcast to the normalized shape");
  }
  return Status::ok();
}

Status infer_layer_norm(InferContext& ctx) {
  if (!ctx.has_input(0) || !ctx.has_input(1)) return ctx.error("needs inputs X and Scale");
  const ValueType& x = ctx.input_type(0);
  if (x.dtype != DType::kUndefined && !is_float(x.dtype)) return ctx.error("X must be a float tensor");
  auto stash = stash_dtype(ctx.node());
  if (!stash.is_ok()) return ctx.error(stash.status().message());
  ctx.set_output(0, x);
  if (!x.has_shape) {
    for (int i = 1; i < 3; ++i)
      if (ctx.has_output(i)) ctx.set_output_dtype_only(i, *stash);
    return Status::ok();
  }
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  auto axis = normalize_axis(ctx.node().attr_int("axis", -1), rank);
  if (!axis) return ctx.error("axis out of range for rank " + std::to_string(rank));
  std::vector<Dim> norm(x.dims.begin() + *axis, x.dims.end()), stat(x.dims.begin(), x.dims.begin() + *axis);
  for (int i = 1; i < 3; ++i)
    if (ctx.has_input(i)) EW_RETURN_IF_ERROR(check_param(ctx, i, norm));
  stat.resize(static_cast<size_t>(rank), Dim(1));
  for (int i = 1; i < 3; ++i)
    if (ctx.has_output(i)) ctx.set_output(i, *stash, stat);
  return Status::ok();
}

// Flat index into a parameter for each position of the normalized block.
Result<std::vector<int64_t>> param_index(const Tensor& p, const Shape& norm) {
  if (p.rank() > static_cast<int64_t>(norm.size())) return invalid_argument("Scale/B rank exceeds normalized rank");
  for (int64_t k = 0; k < p.rank(); ++k) {
    int64_t want = norm[norm.size() - p.rank() + k];
    if (p.dim(k) != want && p.dim(k) != 1) return invalid_argument("Scale/B does not broadcast to the normalized shape");
  }
  int64_t inner = 1;
  for (int64_t d : norm) inner *= d;
  std::vector<int64_t> idx(static_cast<size_t>(inner));
  if (inner == 0) return idx;
  broadcast_for_each<1>(norm, {&p.shape()}, [&](int64_t o, const std::array<int64_t, 1>& in) { idx[o] = in[0]; });
  return idx;
}

struct LayerNormArgs {
  int64_t outer = 1, inner = 1;
  double eps = 1e-5;
  const Tensor* scale = nullptr;
  const Tensor* bias = nullptr;
  std::vector<int64_t> scale_index, bias_index;
  Tensor* mean = nullptr;     // optional outputs
  Tensor* inv_std = nullptr;
};

void write_stat(Tensor* t, int64_t r, double v) {
  if (!t) return;
  visit_float(t->dtype(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    t->data<S>()[r] = S(static_cast<compute_t<S>>(v));
  });
}

template <typename T>
void normalize_rows(const T* in, T* out, const LayerNormArgs& a) {
  for (int64_t r = 0; r < a.outer; ++r) {
    const T* row = in + r * a.inner;
    double mean = 0, var = 0;
    for (int64_t i = 0; i < a.inner; ++i) mean += double(row[i]);
    mean /= double(a.inner);
    for (int64_t i = 0; i < a.inner; ++i) var += (double(row[i]) - mean) * (double(row[i]) - mean);
    const double inv = 1.0 / std::sqrt(var / double(a.inner) + a.eps);
    for (int64_t i = 0; i < a.inner; ++i) {
      double y = (double(row[i]) - mean) * inv * a.scale->get_double(a.scale_index[i]);
      if (a.bias) y += a.bias->get_double(a.bias_index[i]);
      out[r * a.inner + i] = T(static_cast<compute_t<T>>(y));
    }
    write_stat(a.mean, r, mean);
    write_stat(a.inv_std, r, inv);
  }
}

Status run_layer_norm(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  auto axis = normalize_axis(ctx.node().attr_int("axis", -1), x.rank());
  if (!axis) return ctx.error("axis out of range for rank " + std::to_string(x.rank()));
  const Shape norm(x.shape().begin() + *axis, x.shape().end());
  LayerNormArgs a;
  for (int64_t d = 0; d < x.rank(); ++d) (d < *axis ? a.outer : a.inner) *= x.dim(d);
  a.eps = ctx.node().attr_float("epsilon", 1e-5f);
  a.scale = &ctx.input(1);
  auto si = param_index(*a.scale, norm);
  if (!si.is_ok()) return ctx.error(si.status().message());
  a.scale_index = std::move(si).value();
  if (ctx.has_input(2)) {
    a.bias = &ctx.input(2);
    auto bi = param_index(*a.bias, norm);
    if (!bi.is_ok()) return ctx.error(bi.status().message());
    a.bias_index = std::move(bi).value();
  }
  if (ctx.has_output(1)) a.mean = &ctx.output(1);
  if (ctx.has_output(2)) a.inv_std = &ctx.output(2);
  bool ok = visit_float(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    normalize_rows<T>(x.data<T>(), ctx.output(0).data<T>(), a);
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "LayerNormalization", .since_version = 1, .infer = infer_layer_norm,
               .run = run_layer_norm);

}  // namespace ew
