// MatMul (batched, broadcasting; constant or computed B) and Gemm /
// com.microsoft::FusedGemm (transposes, alpha, beta, bias C, activation) as
// one oneDNN matmul primitive. A constant B is reordered once into the layout
// the chosen implementation wants; alpha and beta fold into the constants.
#include "backends/onednn/onednn_activation.h"
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"

namespace ew {

namespace {

using md = dnnl::memory::desc;
using tag = dnnl::memory::format_tag;
const auto kF32 = dnnl::memory::data_type::f32;

Shape aligned(const Shape& s, size_t rank) {
  Shape out(rank - s.size(), 1);
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Plain strides of `dims`, with the last two axes swapped when `transposed`
// (the bytes of a [..., cols, rows] tensor seen as [..., rows, cols]).
dnnl::memory::dims strides_of(const Shape& dims, bool transposed) {
  Shape stored = dims;
  const size_t r = dims.size();
  if (transposed) std::swap(stored[r - 1], stored[r - 2]);
  dnnl::memory::dims st(r, 1);
  for (int i = static_cast<int>(r) - 2; i >= 0; --i) st[i] = st[i + 1] * stored[i + 1];
  if (transposed) std::swap(st[r - 1], st[r - 2]);
  return st;
}

struct MatmulCall {
  std::string a, b, c;  // c: Gemm's C ("" when none)
  bool trans_a = false, trans_b = false;
  float alpha = 1, beta = 1;
  Shape a_dims, b_dims, y;  // aligned to y's rank, logical (after transposes)
};

Result<MatmulCall> matmul_call(const Node& node, const TypeLookup& types) {
  MatmulCall m;
  m.a = node.inputs[0];
  m.b = node.inputs[1];
  m.y = known_shape(types, node.outputs[0]);
  Shape a = known_shape(types, m.a), b = known_shape(types, m.b);
  if (node.op_type == "MatMul") {
    if (a.size() < 2 || b.size() < 2) return unsupported("1-D MatMul operand");
    m.a_dims = aligned(a, m.y.size());
    m.b_dims = aligned(b, m.y.size());
    return m;
  }
  if (a.size() != 2 || b.size() != 2) return unsupported("Gemm operands must be 2-D");
  m.trans_a = node.attr_int("transA", 0) != 0;
  m.trans_b = node.attr_int("transB", 0) != 0;
  m.alpha = node.attr_float("alpha", 1.0f);
  m.beta = node.attr_float("beta", 1.0f);
  if (m.trans_a) std::swap(a[0], a[1]);
  if (m.trans_b) std::swap(b[0], b[1]);
  m.a_dims = a;
  m.b_dims = b;
  if (node.has_input(2)) m.c = node.inputs[2];
  return m;
}

bool supports_matmul(const Node& node, const TypeLookup& types) {
  if (node.inputs.size() < 2 || node.outputs.size() != 1 || !all_static(node, types)) return false;
  if (!FusedActivation::of(node).is_ok()) return false;
  auto m = matmul_call(node, types);
  if (!m.is_ok()) return false;
  const bool b_const = types.constant(m->b) != nullptr;
  if (m->alpha != 1.0f && !b_const) return false;
  if (!m->c.empty()) {
    const Shape c = known_shape(types, m->c);
    if (c.size() > 2) return false;
    Shape c2 = aligned(c, 2);
    if ((c2[0] != 1 && c2[0] != m->y[0]) || (c2[1] != 1 && c2[1] != m->y[1])) return false;
    if (m->beta != 1.0f && !types.constant(m->c)) return false;
  }
  return true;
}

// `t`'s floats times `scale` (for alpha / beta folded into constants).
std::vector<float> scaled(const Tensor& t, float scale) {
  std::vector<float> v(t.data<float>(), t.data<float>() + t.numel());
  for (float& x : v) x *= scale;
  return v;
}

Status define_matmul(OnednnBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(MatmulCall m, matmul_call(node, b.types()));
  EW_ASSIGN_OR_RETURN(FusedActivation act, FusedActivation::of(node));
  const Tensor* b_const = b.constant(m.b);
  md src(onednn_dims(m.a_dims), kF32, strides_of(m.a_dims, m.trans_a));
  md b_plain(onednn_dims(m.b_dims), kF32, strides_of(m.b_dims, m.trans_b));
  md wei = b_const ? md(onednn_dims(m.b_dims), kF32, tag::any) : b_plain;
  md dst = plain_desc(m.y, DType::kFloat32);
  md bias;
  const Tensor* c_const = m.c.empty() ? nullptr : b.constant(m.c);
  if (c_const) bias = plain_desc(aligned(c_const->shape(), 2), DType::kFloat32);
  dnnl::post_ops po;
  if (!m.c.empty() && !c_const) po.append_binary(dnnl::algorithm::binary_add, plain_desc(aligned(known_shape(b.types(), m.c), 2), DType::kFloat32));
  append_activation(po, act);
  dnnl::primitive_attr attr = b.attr();
  attr.set_post_ops(po);
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src, wei, bias, dst), attr, onednn_engine());

  EW_ASSIGN_OR_RETURN(dnnl::memory a_plain, b.value_plain(m.a));
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, b.view(a_plain, src)}};
  if (b_const) {
    std::vector<float> w = scaled(*b_const, m.alpha);
    EW_ASSIGN_OR_RETURN(args[DNNL_ARG_WEIGHTS], b.constant_as(w.data(), b_plain, pd.weights_desc()));
  } else {
    EW_ASSIGN_OR_RETURN(dnnl::memory bp, b.value_plain(m.b));
    args[DNNL_ARG_WEIGHTS] = b.view(bp, b_plain);
  }
  if (c_const) {
    std::vector<float> c = scaled(*c_const, m.beta);
    EW_ASSIGN_OR_RETURN(args[DNNL_ARG_BIAS], b.constant_as(c.data(), bias, bias));
  } else if (!m.c.empty()) {
    EW_ASSIGN_OR_RETURN(dnnl::memory cp, b.value_plain(m.c));
    args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1] =
        b.view(cp, plain_desc(aligned(known_shape(b.types(), m.c), 2), DType::kFloat32));
  }
  args[DNNL_ARG_DST] = b.define(node.outputs[0], dst);
  b.add(dnnl::matmul(pd), std::move(args), pd.scratchpad_desc());
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "MatMul", .domain = "", .supports = supports_matmul, .define = define_matmul);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "Gemm", .domain = "", .supports = supports_matmul, .define = define_matmul);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "FusedGemm", .domain = "com.microsoft", .supports = supports_matmul,
                            .define = define_matmul);

}  // namespace ew
