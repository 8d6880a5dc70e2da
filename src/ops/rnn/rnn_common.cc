#include "ops/rnn/rnn_common.h"

#include <cctype>
#include <cmath>
#include <map>

namespace ew {
namespace {

struct ActInfo {
  RnnActKind kind;
  int params;  // 0: none, 1: alpha, 2: alpha and beta
  float alpha, beta;
};

const std::map<std::string, ActInfo>& activation_table() {
  static const std::map<std::string, ActInfo> table = {
      {"relu", {RnnActKind::kRelu, 0, 0, 0}},
      {"tanh", {RnnActKind::kTanh, 0, 0, 0}},
      {"sigmoid", {RnnActKind::kSigmoid, 0, 0, 0}},
      {"affine", {RnnActKind::kAffine, 2, 1.0f, 0.0f}},
      {"leakyrelu", {RnnActKind::kLeakyRelu, 1, 0.01f, 0}},
      {"thresholdedrelu", {RnnActKind::kThresholdedRelu, 1, 1.0f, 0}},
      {"scaledtanh", {RnnActKind::kScaledTanh, 2, 1.0f, 1.0f}},
      {"hardsigmoid", {RnnActKind::kHardSigmoid, 2, 0.2f, 0.5f}},
      {"elu", {RnnActKind::kElu, 1, 1.0f, 0}},
      {"softsign", {RnnActKind::kSoftsign, 0, 0, 0}},
      {"softplus", {RnnActKind::kSoftplus, 0, 0, 0}},
  };
  return table;
}

// Builds the activations; alpha and beta values are consumed in order by the functions that take them.
Status read_activations(const Node& node, const RnnKind& kind, RnnAttrs& a) {
  auto fail = [&](const std::string& m) { return invalid_argument("node " + node.label() + ": " + m); };
  const size_t per_dir = kind.activations.size();
  std::vector<std::string> names = node.attr_strings("activations");
  if (names.empty()) names = kind.activations;
  if (names.size() == per_dir && a.dirs == 2) {
    std::vector<std::string> forward = names;
    names.insert(names.end(), forward.begin(), forward.end());
  }
  if (names.size() != per_dir * a.dirs)
    return fail("activations must list " + std::to_string(per_dir * a.dirs) + " functions, got " +
                std::to_string(names.size()));
  std::vector<float> alphas = node.attr_floats("activation_alpha"), betas = node.attr_floats("activation_beta");
  size_t ai = 0, bi = 0;
  for (const std::string& name : names) {
    std::string lower;
    for (char ch : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto it = activation_table().find(lower);
    if (it == activation_table().end()) return fail("unsupported activation '" + name + "'");
    const ActInfo& info = it->second;
    RnnActivation act{info.kind, info.alpha, info.beta};
    if (info.params >= 1 && ai < alphas.size()) act.alpha = alphas[ai++];
    if (info.params >= 2 && bi < betas.size()) act.beta = betas[bi++];
    a.acts.push_back(act);
  }
  return Status::ok();
}

}  // namespace

Result<RnnAttrs> read_rnn_attrs(const Node& node, int64_t opset, const RnnKind& kind, int64_t hidden_from_r) {
  auto fail = [&](const std::string& m) { return invalid_argument("node " + node.label() + ": " + m); };
  RnnAttrs a;
  std::string dir = node.attr_string("direction", "forward");
  if (dir == "bidirectional") a.dirs = 2;
  else if (dir == "reverse") a.reverse = true;
  else if (dir != "forward") return fail("direction must be forward, reverse or bidirectional, got '" + dir + "'");
  a.hidden = node.attr_int("hidden_size", hidden_from_r);
  if (a.hidden < 1 || a.hidden > (int64_t{1} << 40)) return fail("hidden_size must be positive (and R must agree)");
  if (hidden_from_r >= 0 && hidden_from_r != a.hidden)
    return fail("hidden_size " + std::to_string(a.hidden) + " disagrees with R's last dimension " +
                std::to_string(hidden_from_r));
  if (node.has_attr("clip")) {
    a.has_clip = true;
    a.clip = node.attr_float("clip", 0);
    if (!(a.clip > 0)) return fail("clip must be positive");
  }
  if (opset >= 14) a.layout = node.attr_int("layout", 0);
  if (a.layout != 0 && a.layout != 1) return fail("layout must be 0 or 1");
  EW_RETURN_IF_ERROR(read_activations(node, kind, a));
  return a;
}

namespace {

// Checks that a static type has rank `dims.size()` and agrees with the known entries of `dims`.
Status check_type(const InferContext& ctx, int i, const char* name, const std::vector<Dim>& dims, DType dtype) {
  if (!ctx.has_input(i)) return Status::ok();
  const ValueType& t = ctx.input_type(i);
  if (dtype != DType::kUndefined && t.dtype != DType::kUndefined && t.dtype != dtype)
    return ctx.error(std::string(name) + " must be " + dtype_name(dtype) + ", got " + dtype_name(t.dtype));
  if (!t.has_shape) return Status::ok();
  if (t.dims.size() != dims.size())
    return ctx.error(std::string(name) + " must have rank " + std::to_string(dims.size()) + ", got " + t.to_string());
  for (size_t k = 0; k < dims.size(); ++k)
    if (dims[k].known() && t.dims[k].known() && dims[k].value != t.dims[k].value)
      return ctx.error(std::string(name) + " has shape " + t.to_string() + ", expected dimension " +
                       std::to_string(k) + " to be " + std::to_string(dims[k].value));
  return Status::ok();
}

Dim dim_of(const ValueType& t, size_t k) { return t.has_shape && t.dims.size() > k ? t.dims[k] : Dim{}; }

}  // namespace

Status infer_rnn(InferContext& ctx, const RnnKind& kind) {
  for (int i = 0; i < 3; ++i)
    if (!ctx.has_input(i)) return ctx.error("inputs X, W and R are required");
  DType dtype = ctx.input_type(0).dtype;
  if (dtype != DType::kUndefined && !is_float(dtype)) return ctx.error(std::string("X must be a float type, got ") + dtype_name(dtype));
  Dim r_hidden = dim_of(ctx.input_type(2), 2);
  EW_ASSIGN_OR_RETURN(RnnAttrs a, read_rnn_attrs(ctx.node(), ctx.opset(), kind, r_hidden.known() ? r_hidden.value : -1));
  const ValueType& x = ctx.input_type(0);
  EW_RETURN_IF_ERROR(check_type(ctx, 0, "X", {Dim{}, Dim{}, Dim{}}, dtype));
  Dim seq = dim_of(x, a.layout ? 1 : 0), batch = dim_of(x, a.layout ? 0 : 1), input = dim_of(x, 2);
  const int64_t D = a.dirs, H = a.hidden, GH = kind.gates * a.hidden;
  EW_RETURN_IF_ERROR(check_type(ctx, 1, "W", {D, GH, input}, dtype));
  EW_RETURN_IF_ERROR(check_type(ctx, 2, "R", {D, GH, H}, dtype));
  EW_RETURN_IF_ERROR(check_type(ctx, 3, "B", {D, 2 * GH}, dtype));
  EW_RETURN_IF_ERROR(check_type(ctx, 4, "sequence_lens", {batch}, DType::kUndefined));
  std::vector<Dim> state = a.layout ? std::vector<Dim>{batch, D, H} : std::vector<Dim>{D, batch, H};
  EW_RETURN_IF_ERROR(check_type(ctx, 5, "initial_h", state, dtype));
  if (kind.state_outputs == 2) {
    EW_RETURN_IF_ERROR(check_type(ctx, 6, "initial_c", state, dtype));
    EW_RETURN_IF_ERROR(check_type(ctx, 7, "P", {D, 3 * H}, dtype));
  }
  if (dtype == DType::kUndefined) return Status::ok();
  ctx.set_output(0, dtype, a.layout ? std::vector<Dim>{batch, seq, D, H} : std::vector<Dim>{seq, D, batch, H});
  for (int i = 1; i <= kind.state_outputs; ++i) ctx.set_output(i, dtype, state);
  return Status::ok();
}

Status check_rnn_inputs(KernelContext& ctx, const RnnKind& kind, const RnnAttrs& a, int64_t dims[3]) {
  const Tensor& x = ctx.input(0);
  if (x.rank() != 3) return ctx.error("X must have rank 3, got " + x.describe());
  dims[0] = x.dim(a.layout ? 1 : 0), dims[1] = x.dim(a.layout ? 0 : 1), dims[2] = x.dim(2);
  const int64_t D = a.dirs, H = a.hidden, GH = kind.gates * H, B = dims[1];
  Shape state = a.layout ? Shape{B, D, H} : Shape{D, B, H};
  struct Expect { int index; const char* name; Shape shape; };
  std::vector<Expect> expects = {{1, "W", {D, GH, dims[2]}}, {2, "R", {D, GH, H}}, {3, "B", {D, 2 * GH}},
                                 {5, "initial_h", state}};
  if (kind.state_outputs == 2) {
    expects.push_back({6, "initial_c", state});
    expects.push_back({7, "P", {D, 3 * H}});
  }
  auto y_numel = shape_numel({dims[0], D, B, H});
  auto state_numel = shape_numel({D, B, H});
  if (!y_numel || !state_numel || *y_numel > max_tensor_bytes() / 8 || *state_numel > max_tensor_bytes() / 8)
    return ctx.error("outputs Y and Y_h would be too large");
  for (const Expect& e : expects) {
    if (!ctx.has_input(e.index)) continue;
    const Tensor& t = ctx.input(e.index);
    if (t.dtype() != x.dtype() || t.shape() != e.shape)
      return ctx.error(std::string(e.name) + " must be " + dtype_name(x.dtype()) + shape_to_string(e.shape) +
                       ", got " + t.describe());
  }
  if (ctx.has_input(4)) {
    const Tensor& sl = ctx.input(4);
    if (!is_integer(sl.dtype()) || sl.shape() != Shape{B})
      return ctx.error("sequence_lens must be an integer tensor of shape [" + std::to_string(B) + "], got " + sl.describe());
    for (int64_t b = 0; b < B; ++b)
      if (sl.get_int64(b) < 0 || sl.get_int64(b) > dims[0])
        return ctx.error("sequence_lens[" + std::to_string(b) + "] = " + std::to_string(sl.get_int64(b)) +
                         " is outside [0, " + std::to_string(dims[0]) + "]");
  }
  return Status::ok();
}

}  // namespace ew
