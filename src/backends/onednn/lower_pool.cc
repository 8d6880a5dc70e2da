// MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool (1-D to 3-D
// windows; float32, and int8/uint8 for the max pools of quantized models).
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"
#include "ops/nn/conv_geometry.h"

namespace ew {

namespace {

using md = dnnl::memory::desc;

struct PoolGeometry {
  dnnl::memory::dims kernel, strides, dilation, pad_l, pad_r;
};

bool is_global(const Node& node) { return node.op_type.rfind("Global", 0) == 0; }
bool is_max(const Node& node) { return node.op_type.find("Max") != std::string::npos; }

// Pads made explicit; ceil_mode becomes extra end padding, which neither max
// (padding is ignored) nor an average that excludes padding sees.
Result<PoolGeometry> pool_geometry(const Node& node, const Shape& x) {
  PoolGeometry p;
  const size_t n = x.size() - 2;
  if (x.size() < 3 || x.size() > 5) return unsupported("not a 1-D, 2-D or 3-D pool");
  if (is_global(node)) {
    for (size_t i = 0; i < n; ++i) {
      p.kernel.push_back(x[2 + i]);
      p.strides.push_back(1);
      p.dilation.push_back(0);
      p.pad_l.push_back(0);
      p.pad_r.push_back(0);
    }
    return p;
  }
  EW_ASSIGN_OR_RETURN(WindowGeometry g, read_window_geometry(node, node.attr_ints("kernel_shape")));
  if (g.rank() != n) return unsupported("kernel_shape rank");
  for (size_t i = 0; i < n; ++i) {
    EW_ASSIGN_OR_RETURN(int64_t out, window_output_size(g, i, x[2 + i]));
    int64_t covered = x[2 + i] + g.pads[i] + g.pads[i + n];
    int64_t needed = (out - 1) * g.strides[i] + g.effective_kernel(i);
    int64_t extra = std::max<int64_t>(0, needed - covered);
    p.kernel.push_back(g.kernel[i]);
    p.strides.push_back(g.strides[i]);
    p.dilation.push_back(g.dilations[i] - 1);
    p.pad_l.push_back(g.pads[i]);
    p.pad_r.push_back(g.pads[i + n] + extra);
    if (extra > 0 && node.op_type == "AveragePool" && node.attr_int("count_include_pad", 0) != 0)
      return unsupported("ceil_mode with count_include_pad");
  }
  return p;
}

bool supports_pool(const Node& node, const TypeLookup& types) {
  if (node.outputs.size() != 1 || node.inputs.size() != 1) return false;
  if (!all_static(node, types, is_max(node) ? std::initializer_list<DType>{DType::kFloat32, DType::kUInt8, DType::kInt8}
                                            : std::initializer_list<DType>{DType::kFloat32}))
    return false;
  if (node.op_type == "MaxPool" && node.attr_int("storage_order", 0) != 0) return false;
  return pool_geometry(node, known_shape(types, node.inputs[0])).is_ok();
}

Status define_pool(OnednnBuilder& b, const Node& node) {
  const ValueType& xt = *b.type(node.inputs[0]);
  const Shape x = xt.concrete_shape(), y = known_shape(b.types(), node.outputs[0]);
  EW_ASSIGN_OR_RETURN(PoolGeometry g, pool_geometry(node, x));
  dnnl::algorithm alg = is_max(node) ? dnnl::algorithm::pooling_max
                        : node.attr_int("count_include_pad", 0) != 0 ? dnnl::algorithm::pooling_avg_include_padding
                                                                      : dnnl::algorithm::pooling_avg_exclude_padding;
  EW_ASSIGN_OR_RETURN(dnnl::memory in, b.value(node.inputs[0]));
  // The pool reads the source in whatever layout it has; the destination follows it.
  md dst(onednn_dims(y), onednn_dtype(xt.dtype), dnnl::memory::format_tag::any);
  auto desc = dnnl::pooling_v2_forward::desc(dnnl::prop_kind::forward_inference, alg, in.get_desc(), dst, g.strides,
                                             g.kernel, g.dilation, g.pad_l, g.pad_r);
  dnnl::pooling_v2_forward::primitive_desc pd(desc, b.attr(), onednn_engine());
  EW_ASSIGN_OR_RETURN(in, b.value_as(node.inputs[0], pd.src_desc()));
  dnnl::memory out = b.define(node.outputs[0], pd.dst_desc());
  b.add(dnnl::pooling_v2_forward(pd), {{DNNL_ARG_SRC, in}, {DNNL_ARG_DST, out}}, pd.scratchpad_desc());
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "MaxPool", .domain = "", .supports = supports_pool, .define = define_pool);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "AveragePool", .domain = "", .supports = supports_pool, .define = define_pool);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "GlobalAveragePool", .domain = "", .supports = supports_pool,
                            .define = define_pool);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "GlobalMaxPool", .domain = "", .supports = supports_pool,
                            .define = define_pool);

}  // namespace ew
