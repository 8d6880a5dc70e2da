// Transpose as one reorder: the source's plain bytes are described with the
// output's axis order (a permuted view) and reordered into a plain output.
#include "backends/onednn/onednn_ops.h"

namespace ew {

namespace {

Result<std::vector<int>> permutation(const Node& node, size_t rank) {
  std::vector<int64_t> perm = node.attr_ints("perm");
  if (perm.empty())
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  if (perm.size() != rank) return unsupported("perm rank");
  std::vector<int> where(rank, -1);  // where[input axis] = output axis
  for (size_t j = 0; j < rank; ++j) {
    if (perm[j] < 0 || perm[j] >= static_cast<int64_t>(rank) || where[perm[j]] >= 0) return unsupported("perm");
    where[perm[j]] = static_cast<int>(j);
  }
  return where;
}

bool supports_transpose(const Node& node, const TypeLookup& types) {
  if (node.inputs.size() != 1 || node.outputs.size() != 1) return false;
  if (!all_static(node, types, {DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt32})) return false;
  return permutation(node, types.type(node.inputs[0])->dims.size()).is_ok();
}

Status define_transpose(OnednnBuilder& b, const Node& node) {
  const ValueType& x = *b.type(node.inputs[0]);
  EW_ASSIGN_OR_RETURN(std::vector<int> where, permutation(node, x.dims.size()));
  EW_ASSIGN_OR_RETURN(dnnl::memory plain, b.value_plain(node.inputs[0]));
  dnnl::memory permuted = b.view(plain, plain.get_desc().permute_axes(where));
  const ValueType& y = *b.type(node.outputs[0]);
  dnnl::memory out = b.define(node.outputs[0], plain_desc(y.concrete_shape(), y.dtype));
  dnnl::reorder::primitive_desc pd(permuted, out, b.attr());
  b.add(dnnl::reorder(pd), {{DNNL_ARG_FROM, permuted}, {DNNL_ARG_TO, out}}, pd.scratchpad_desc());
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "Transpose", .domain = "", .supports = supports_transpose,
                            .define = define_transpose);

}  // namespace ew
