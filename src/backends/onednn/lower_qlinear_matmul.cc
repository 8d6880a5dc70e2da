// QLinearMatMul with constant int8 weights (uint8 with zero point 128 shifted
// to int8) as a oneDNN int8 matmul: activation zero points, per-tensor or
// per-column weight scales, requantized like QLinearConv (lower_qlinear_conv.cc).
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"
#include "backends/onednn/onednn_quant.h"

namespace ew {

namespace {

enum Input { kA, kAScale, kAZp, kB, kBScale, kBZp, kYScale, kYZp };

struct QMatMul {
  QuantParams a, y;
  std::vector<float> b_scales;
  Shape a_dims, b_dims, y_dims;  // aligned to y's rank
};

Shape aligned(const Shape& s, size_t rank) {
  Shape out(rank - s.size(), 1);
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

Result<QMatMul> qmatmul(const Node& node, const TypeLookup& types) {
  QMatMul q;
  if (node.num_inputs() != 8 || node.outputs.size() != 1) return unsupported("inputs");
  if (!all_static(node, types, {DType::kUInt8, DType::kInt8, DType::kFloat32})) return unsupported("types");
  const Tensor* b = types.constant(node.inputs[kB]);
  if (!b || b->rank() != 2) return unsupported("B must be a constant matrix");
  if (b->dtype() != DType::kInt8 && b->dtype() != DType::kUInt8) return unsupported("B must be 8-bit");
  const Shape a = known_shape(types, node.inputs[kA]);
  q.y_dims = known_shape(types, node.outputs[0]);
  if (a.size() < 2 || q.y_dims.size() < 2) return unsupported("rank");
  q.a_dims = aligned(a, q.y_dims.size());
  q.b_dims = aligned(b->shape(), q.y_dims.size());
  const DType at = types.type(node.inputs[kA])->dtype, yt = types.type(node.outputs[0])->dtype;
  if (!const_quant(types, node.inputs[kAScale], node.inputs[kAZp], at, &q.a) ||
      !const_quant(types, node.inputs[kYScale], node.inputs[kYZp], yt, &q.y))
    return unsupported("activation quantization");
  const int32_t b_zero = b->dtype() == DType::kUInt8 ? 128 : 0;
  if (!const_scales(types, node.inputs[kBScale], b->dim(1), &q.b_scales) ||
      !const_zero_points_are(types, node.inputs[kBZp], b->dtype(), b->dim(1), b_zero))
    return unsupported("weight quantization");
  if (!exact_int8(at, *b)) return unsupported("weights beyond 7 bits saturate without VNNI");
  return q;
}

bool supports_qmatmul(const Node& node, const TypeLookup& types) { return qmatmul(node, types).is_ok(); }

Status define_qmatmul(OnednnBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(QMatMul q, qmatmul(node, b.types()));
  const Tensor& w = *b.constant(node.inputs[kB]);
  using md = dnnl::memory::desc;
  md src = plain_desc(q.a_dims, q.a.dtype);
  md wei(onednn_dims(q.b_dims), dnnl::memory::data_type::s8, dnnl::memory::format_tag::any);
  md dst = plain_desc(q.y_dims, q.y.dtype);
  dnnl::primitive_attr attr = b.attr();
  std::vector<float> scales = requantize_scales(q.a.scale, q.b_scales, q.y.scale);
  attr.set_output_scales(scales.size() > 1 ? 1 << (q.y_dims.size() - 1) : 0, scales);
  std::unordered_map<int, dnnl::memory> args;
  EW_RETURN_IF_ERROR(add_zero_point(b, attr, args, DNNL_ARG_SRC, q.a.zero_point).status());
  EW_RETURN_IF_ERROR(add_zero_point(b, attr, args, DNNL_ARG_DST, q.y.zero_point).status());
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src, wei, dst), attr, onednn_engine());
  EW_ASSIGN_OR_RETURN(dnnl::memory a_plain, b.value_plain(node.inputs[kA]));
  args[DNNL_ARG_SRC] = b.view(a_plain, src);
  std::vector<int8_t> weights = signed_weights(w);
  EW_ASSIGN_OR_RETURN(args[DNNL_ARG_WEIGHTS],
                      b.constant_as(weights.data(), plain_desc(q.b_dims, DType::kInt8), pd.weights_desc()));
  args[DNNL_ARG_DST] = b.define(node.outputs[0], dst);
  b.add(dnnl::matmul(pd), std::move(args), pd.scratchpad_desc());
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "QLinearMatMul", .domain = "", .supports = supports_qmatmul,
                            .define = define_qmatmul);

}  // namespace ew
