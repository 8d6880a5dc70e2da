// MaxPool, AveragePool (padding excluded from the average, as XNNPACK does)
// and GlobalAveragePool over 4-D tensors.
#include <limits>

#include "backends/xnnpack/xnnpack_ops.h"
#include "ops/nn/conv_geometry.h"

namespace ew {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// Window with pads made explicit; ceil_mode becomes extra end padding, which
// neither max (padding is ignored) nor an average that excludes padding sees.
Result<WindowGeometry> pool_window(const Node& node, const TypeLookup& types) {
  Shape x = static_shape(types, node.inputs[0]);
  std::vector<int64_t> kernel = node.attr_ints("kernel_shape");
  if (x.size() != 4 || kernel.size() != 2) return unsupported("not a 2-D pool");
  EW_ASSIGN_OR_RETURN(WindowGeometry g, read_window_geometry(node, kernel));
  for (size_t i = 0; i < 2; ++i) {
    EW_ASSIGN_OR_RETURN(int64_t out, window_output_size(g, i, x[2 + i]));
    int64_t covered = x[2 + i] + g.pads[i] + g.pads[i + 2];
    int64_t needed = (out - 1) * g.strides[i] + g.effective_kernel(i);
    if (needed > covered) g.pads[i + 2] += needed - covered;
  }
  return g;
}

bool supports_pool(const Node& node, const TypeLookup& types) {
  if (!all_static_f32(node, types) || node.outputs.size() != 1) return false;
  if (node.op_type == "GlobalAveragePool") return static_shape(types, node.inputs[0]).size() == 4;
  if (node.op_type == "AveragePool") {
    if (node.attr_int("count_include_pad", 0) != 0) {
      for (int64_t p : node.attr_ints("pads")) if (p != 0) return false;
      if (node.attr_string("auto_pad", "NOTSET") != "NOTSET" && node.attr_string("auto_pad", "") != "VALID") return false;
      if (node.attr_int("ceil_mode", 0) != 0) return false;
    }
    for (int64_t d : node.attr_ints("dilations")) if (d != 1) return false;
  }
  if (node.op_type == "MaxPool" && node.attr_int("storage_order", 0) != 0) return false;
  return pool_window(node, types).is_ok();
}

Status define_pool(XnnpackBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(uint32_t in, b.value(node.inputs[0]));
  EW_ASSIGN_OR_RETURN(uint32_t out, b.output(node.outputs[0]));
  xnn_status st;
  if (node.op_type == "GlobalAveragePool") {
    st = xnn_define_global_average_pooling_2d(b.subgraph(), -kInf, kInf, in, out, 0);
  } else {
    EW_ASSIGN_OR_RETURN(WindowGeometry g, pool_window(node, b.types()));
    if (node.op_type == "MaxPool") {
      st = xnn_define_max_pooling_2d(b.subgraph(), g.pads[0], g.pads[3], g.pads[2], g.pads[1], g.kernel[0],
                                     g.kernel[1], g.strides[0], g.strides[1], g.dilations[0], g.dilations[1], -kInf,
                                     kInf, in, out, 0);
    } else {
      st = xnn_define_average_pooling_2d(b.subgraph(), g.pads[0], g.pads[3], g.pads[2], g.pads[1], g.kernel[0],
                                         g.kernel[1], g.strides[0], g.strides[1], -kInf, kInf, in, out, 0);
    }
  }
  if (st != xnn_status_success) return xnn_error(st, node.label());
  return Status::ok();
}

}  // namespace

EW_REGISTER_XNNPACK_LOWERING(.op_type = "MaxPool", .domain = "", .supports = supports_pool, .define = define_pool);
EW_REGISTER_XNNPACK_LOWERING(.op_type = "AveragePool", .domain = "", .supports = supports_pool, .define = define_pool);
EW_REGISTER_XNNPACK_LOWERING(.op_type = "GlobalAveragePool", .domain = "", .supports = supports_pool,
                             .define = define_pool);

}  // namespace ew
