// Add, Sub, Mul, Div, Max, Min of two float32 tensors with numpy broadcasting,
// as a oneDNN binary primitive. oneDNN broadcasts only its second source, so
// a broadcast first operand of a commutative op is swapped in; the full-size
// operand keeps its layout and a same-shaped second operand follows it.
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"

namespace ew {

namespace {

using md = dnnl::memory::desc;

dnnl::algorithm binary_algorithm(const std::string& op) {
  if (op == "Add") return dnnl::algorithm::binary_add;
  if (op == "Sub") return dnnl::algorithm::binary_sub;
  if (op == "Mul") return dnnl::algorithm::binary_mul;
  if (op == "Div") return dnnl::algorithm::binary_div;
  if (op == "Max") return dnnl::algorithm::binary_max;
  return dnnl::algorithm::binary_min;
}

bool commutative(const std::string& op) { return op != "Sub" && op != "Div"; }

// `s` with leading 1s up to `rank`.
Shape aligned(const Shape& s, size_t rank) {
  Shape out(rank - s.size(), 1);
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Which input is full-sized (oneDNN's src0); -1 when neither may be.
int full_operand(const Node& node, const TypeLookup& types) {
  const Shape y = known_shape(types, node.outputs[0]);
  if (aligned(known_shape(types, node.inputs[0]), y.size()) == y) return 0;
  if (commutative(node.op_type) && aligned(known_shape(types, node.inputs[1]), y.size()) == y) return 1;
  return -1;
}

bool supports_binary(const Node& node, const TypeLookup& types) {
  if (node.inputs.size() != 2 || node.outputs.size() != 1 || !all_static(node, types)) return false;
  return full_operand(node, types) >= 0;
}

// The second operand: in src0's layout when it has src0's shape, else plain and broadcast.
Result<dnnl::memory> second_operand(OnednnBuilder& b, const std::string& name, const dnnl::memory& src0,
                                    const Shape& y) {
  const Shape s = b.constant(name) ? b.constant(name)->shape() : known_shape(b.types(), name);
  if (aligned(s, y.size()) == y) return b.value_as(name, src0.get_desc());
  EW_ASSIGN_OR_RETURN(dnnl::memory plain, b.value_plain(name));
  return b.view(plain, plain_desc(aligned(s, y.size()), b.type(name)->dtype));
}

Status define_binary(OnednnBuilder& b, const Node& node) {
  const int full = full_operand(node, b.types());
  if (full < 0) return unsupported("broadcast first operand");
  const Shape y = known_shape(b.types(), node.outputs[0]);
  const std::string& first = node.inputs[full];
  const std::string& second = node.inputs[1 - full];
  EW_ASSIGN_OR_RETURN(dnnl::memory src0, b.value(first));
  if (src0.get_desc().dims() != onednn_dims(y)) {
    EW_ASSIGN_OR_RETURN(src0, b.value_plain(first));
  }
  const auto f32 = dnnl::memory::data_type::f32;
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      EW_ASSIGN_OR_RETURN(dnnl::memory src1, second_operand(b, second, src0, y));
      md dst(onednn_dims(y), f32, dnnl::memory::format_tag::any);
      auto desc = dnnl::binary::desc(binary_algorithm(node.op_type), src0.get_desc(), src1.get_desc(), dst);
      dnnl::binary::primitive_desc pd(desc, b.attr(), onednn_engine());
      dnnl::memory out = b.define(node.outputs[0], pd.dst_desc());
      b.add(dnnl::binary(pd), {{DNNL_ARG_SRC_0, src0}, {DNNL_ARG_SRC_1, src1}, {DNNL_ARG_DST, out}},
            pd.scratchpad_desc());
      return Status::ok();
    } catch (const dnnl::error& e) {
      if (attempt == 1) return onednn_error(e, node.label());
      EW_ASSIGN_OR_RETURN(src0, b.value_plain(first));  // no implementation for this layout: go plain
    }
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "Add", .domain = "", .supports = supports_binary, .define = define_binary);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "Sub", .domain = "", .supports = supports_binary, .define = define_binary);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "Mul", .domain = "", .supports = supports_binary, .define = define_binary);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "Div", .domain = "", .supports = supports_binary, .define = define_binary);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "Max", .domain = "", .supports = supports_binary, .define = define_binary);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "Min", .domain = "", .supports = supports_binary, .define = define_binary);

}  // namespace ew
